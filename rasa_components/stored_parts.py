"""A trained component's parts in Rasa's model storage: NumPy arrays and SciPy sparse matrices in an `.npz` file
(read with `allow_pickle=False`: no object, no code), everything else (names, vocabularies, numbers) in JSON.

Parts are nested dicts of arrays, CSR matrices, strings, numbers, booleans, None and lists of them; each model
turns its fitted objects into such parts and back (`parts()` / `from_parts()`). skops, which saved the
scikit-learn objects before, took 9.6 s to import in the Rasa process (it looks up thousands of NumPy and
SciPy functions among every loaded module, TensorFlow's included) and 14 s to write and read the crisis
model's vocabularies, at every training and every start.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, issparse

_ARRAY, _CSR = "__array__", "__csr__"


def _packed(value: Any, arrays: dict[str, np.ndarray]) -> Any:
    """`value` for JSON, its arrays moved to `arrays` (named a0, a1, ...)."""

    def stored(array: np.ndarray) -> str:
        if array.dtype.hasobject:
            raise TypeError("arrays of Python objects are not stored")
        name = f"a{len(arrays)}"
        arrays[name] = array
        return name

    if isinstance(value, dict):
        if _ARRAY in value or _CSR in value:
            raise ValueError(f"{_ARRAY} and {_CSR} are reserved keys")
        return {str(key): _packed(item, arrays) for key, item in value.items()}
    if issparse(value):
        matrix = value.tocsr()
        return {_CSR: [stored(matrix.data), stored(matrix.indices), stored(matrix.indptr)], "shape": list(matrix.shape)}
    if isinstance(value, np.ndarray):
        return {_ARRAY: stored(value)}
    if isinstance(value, (list, tuple)):
        return [_packed(item, arrays) for item in value]
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"{type(value).__name__} is not stored (arrays, sparse matrices, JSON values)")


def _unpacked(value: Any, arrays) -> Any:
    if isinstance(value, dict):
        if _ARRAY in value:
            return arrays[value[_ARRAY]]
        if _CSR in value:
            data, indices, indptr = (arrays[name] for name in value[_CSR])
            return csr_matrix((data, indices, indptr), shape=tuple(value["shape"]))
        return {key: _unpacked(item, arrays) for key, item in value.items()}
    if isinstance(value, list):
        return [_unpacked(item, arrays) for item in value]
    return value


def save_parts(model_storage, resource, filename: str, parts: dict) -> None:
    arrays: dict[str, np.ndarray] = {}
    structure = _packed(parts, arrays)
    with model_storage.write_to(resource) as directory:
        np.savez(directory / f"{filename}.npz", **arrays)
        (directory / f"{filename}.json").write_text(json.dumps(structure, ensure_ascii=False), encoding="utf-8")


def load_parts(model_storage, resource, filename: str) -> dict | None:
    """What save_parts stored, or None when the model has none (not trained)."""
    try:
        with model_storage.read_from(resource) as directory:
            structure = json.loads((directory / f"{filename}.json").read_text(encoding="utf-8"))
            with np.load(directory / f"{filename}.npz", allow_pickle=False) as stored:
                arrays = {name: stored[name] for name in stored.files}
    except ValueError:
        return None
    return _unpacked(structure, arrays)
