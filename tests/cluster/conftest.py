"""One cluster for the whole folder (starting Rasa instances takes a minute): two Rasa instances with
the intranet chat and the REST channel, two action servers and the web server, on PostgreSQL and Redis.

Without those services the tests are skipped with the reason, except under CI where they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from bot.booking.bookings import Booking
from bot.core.db import Database
from tests.cluster.cluster import Cluster, services_missing

INTRANET_ORIGIN = "https://intranet.example.org"


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    missing = services_missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"under CI the cluster tests must run: {missing}")
        pytest.skip(missing)
    cluster = Cluster(rasa_count=2, action_count=2, intranet_origin=INTRANET_ORIGIN)
    try:
        yield cluster.start()
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def booking(cluster: Cluster) -> Booking:
    return Booking(Database(cluster.app_url))
