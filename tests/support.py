"""Helpers shared by the test modules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent


def domain() -> dict[str, Any]:
    """domain/*.yml merged as Rasa merges them: lists joined, mappings combined."""
    merged: dict[str, Any] = {}
    for path in sorted((ROOT / "domain").glob("*.yml")):
        for key, value in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)
            elif isinstance(value, dict):
                merged.setdefault(key, {}).update(value)
            else:
                merged[key] = value
    return merged
