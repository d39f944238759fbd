"""Two Rasa instances and two action servers sharing PostgreSQL (application database and tracker
store) and a Redis lock store: conversations move between instances, bookings stay single, and
crashes of Rasa, of an action server or of the database get French answers and lose nothing.

Run by `make test` (needs the trained model, PostgreSQL and Redis on localhost); skipped with the
reason without those services, except under CI where it must run.
"""

from __future__ import annotations

import json
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import create_engine, text

from tests.cluster.cluster import POSTGRES_ADMIN_URL, Cluster

UNAVAILABLE = "momentanément indisponible"
TAKEN = "vient d'être pris"


class Person:
    """Someone whose messages go to whichever instance the test names (a load balancer's choice)."""

    def __init__(self, cluster: Cluster, name: str) -> None:
        self.cluster, self.sender, self.buttons = cluster, f"cluster-{name}-{uuid.uuid4().hex[:8]}", []
        self.texts: list[str] = []

    def say(self, message: str, instance: int = 0) -> str:
        body = json.dumps({"sender": self.sender, "message": message}).encode()
        request = urllib.request.Request(
            f"{self.cluster.rasa_url(instance)}/webhooks/rest/webhook", body, {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            replies = json.load(response)
        self.texts.append(message)
        self.buttons = [button for reply in replies for button in reply.get("buttons") or []]
        return "\n".join(reply.get("text") or "" for reply in replies)

    def click_first(self, instance: int = 0) -> str:
        return self.say(self.buttons[0]["payload"], instance)

    def book(self, service_sentence: str, first: int, second: int) -> str:
        """A whole booking, each step on the instance given (the place question is answered if asked)."""
        said = self.say(service_sentence, first)
        if "Où préférez-vous" in said:  # at a distance when offered: the places with the most slots
            remote = [b for b in self.buttons if any(word in b["title"].lower() for word in ("visio", "téléphone"))]
            said = self.say((remote or self.buttons)[0]["payload"], second)
        if "Quel jour" in said:
            said = self.say("dès que possible", first)
        # A slot taken meanwhile: the next free ones are offered. Each round of a race has a winner, so someone
        # racing n others for the same first slots is booked within n + 1 attempts (20 people, 4 services: 5).
        for _ in range(8):
            assert "créneaux libres" in said and self.buttons, said
            said = self.click_first(second)
            assert "Je récapitule" in said or TAKEN in said, said
            if "Je récapitule" in said:
                said = self.say("oui je confirme", first)
                if TAKEN not in said:
                    return said
        return said

    def tracker_texts(self, instance: int) -> list[str]:
        with urllib.request.urlopen(
            f"{self.cluster.rasa_url(instance)}/conversations/{self.sender}/tracker?token={self.cluster.api_token}",
            timeout=30,
        ) as response:
            events = json.load(response)["events"]
        return [event["text"] for event in events if event["event"] == "user"]


def test_one_conversation_alternating_between_the_instances_loses_no_event(cluster, booking):
    camille = Person(cluster, "camille")
    said = camille.book("je voudrais un rendez-vous avec la psychologue", first=0, second=1)
    assert "C'est réservé" in said, said
    (slot,) = booking.upcoming(camille.sender)
    assert slot.reference in said
    said = camille.say("quels sont mes rendez-vous ?", 1)
    assert slot.reference in said, said
    for instance in (0, 1):  # both instances read the same, complete conversation
        assert camille.tracker_texts(instance) == camille.texts


def test_twenty_concurrent_conversations_over_both_instances_never_double_book(cluster, booking):
    people = [Person(cluster, f"p{index}") for index in range(20)]
    services = ["la psychologue", "l'assistante sociale", "l'avocat", "la médecine du travail"]

    def run(index: int) -> str:
        return people[index].book(
            f"je voudrais un rendez-vous avec {services[index % 4]}", first=index % 2, second=(index + 1) % 2
        )

    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(run, range(20)))
    told_booked = {person.sender: said for person, said in zip(people, answers) if "C'est réservé" in said}
    assert len(told_booked) == 20, [said[-200:] for said in answers if "C'est réservé" not in said]
    for person in people:
        held = booking.upcoming(person.sender)
        if person.sender in told_booked:
            # What the person was told is what the database holds: one slot, theirs, with that reference.
            assert len(held) == 1 and held[0].reference in told_booked[person.sender]
        else:
            assert held == []


def test_the_action_server_down_gets_a_french_answer_within_two_seconds_then_recovers(cluster):
    alex = Person(cluster, "alex")
    cluster.kill("actions1")  # instance 1's action server
    started = time.monotonic()
    said = alex.say("combien de jours de congés annuels ai-je ?", 1)
    assert UNAVAILABLE in said and time.monotonic() - started < 2, said
    cluster.start_actions(1)
    cluster.wait_ready(120)
    said = alex.say("combien de jours de congés annuels ai-je ?", 1)
    assert UNAVAILABLE not in said and "congés" in said.lower(), said


def test_the_database_down_gets_a_french_answer_and_no_booking_is_lost_or_duplicated(cluster, booking):
    sam = Person(cluster, "sam")
    said = sam.book("je voudrais un rendez-vous avec l'avocat", first=1, second=0)
    assert "C'est réservé" in said, said
    (before,) = booking.upcoming(sam.sender)
    name = cluster.app_url.rsplit("/", 1)[1]
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
        for instance in (0, 1):
            said = sam.say("quels sont mes rendez-vous ?", instance)
            assert UNAVAILABLE in said, said
        said = sam.say("je voudrais un rendez-vous avec la psychologue", 0)
        assert UNAVAILABLE in said, said
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()
    said = sam.say("quels sont mes rendez-vous ?", 1)
    assert before.reference in said and UNAVAILABLE not in said, said
    assert [slot.reference for slot in booking.upcoming(sam.sender)] == [before.reference]


def test_kill_9_of_an_instance_mid_conversation_and_the_other_goes_on(cluster, booking):
    dominique = Person(cluster, "dominique")
    said = dominique.say("je voudrais un rendez-vous avec la psychologue", 0)
    assert "Où préférez-vous" in said or "Quel jour" in said, said
    cluster.kill("rasa0")
    said = dominique.say("en visio" if "Où préférez-vous" in said else "dès que possible", 1)
    assert "Quel jour" in said or "créneaux libres" in said, said
    if "Quel jour" in said:
        said = dominique.say("dès que possible", 1)
    assert "créneaux libres" in said, said
    said = dominique.click_first(1)
    said = dominique.say("oui", 1)
    assert "C'est réservé" in said, said
    assert len(booking.upcoming(dominique.sender)) == 1
    assert dominique.tracker_texts(1) == dominique.texts
