"""Many people signing up at the same moment never get more places than there are.

Each thread is a request of its own (its own app context, session and database
connection), all released at once by a barrier. ``make test`` runs this on PostgreSQL too,
where the row lock on the event is what keeps the count right; on SQLite the database's
write lock serialises the sign-ups.
"""

from __future__ import annotations

import threading
from datetime import timedelta

from plugins.events.models import Event
from plugins.events.participation_models import Participation
from plugins.events.participation_queries import waiting_position
from plugins.events.signups import sign_up, withdraw
from quarter_node.accounts.models import Actor
from quarter_node.extensions import db
from quarter_node.plugin_api import utcnow
from tests.plugins.events.helpers import make_event

PEOPLE = 10
PLACES = 3


def _at_once(app, work, arguments) -> list[BaseException]:
    barrier = threading.Barrier(len(arguments))
    errors: list[BaseException] = []

    def run(argument) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                work(argument)
            except BaseException as error:  # noqa: BLE001  (reported by the test)
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def _states(event_id: int) -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(db.select(Participation.state).where(Participation.event_id == event_id))
    )


def test_concurrent_sign_ups_never_exceed_the_capacity(app, factories) -> None:
    organiser = factories.user("orga")
    start = (utcnow() + timedelta(days=3)).replace(tzinfo=None, minute=0, second=0, microsecond=0)
    event_id = make_event(organiser, start_local=start, capacity=PLACES).id
    actor_ids = [factories.user(f"person{n}").actor_id for n in range(PEOPLE)]

    def take_part(actor_id: int) -> None:
        sign_up(db.session.get(Actor, actor_id), db.session.get(Event, event_id), None, "going")

    assert _at_once(app, take_part, actor_ids) == []
    found = _states(event_id)
    assert found.count("going") == PLACES
    assert found.count("waiting") == PEOPLE - PLACES

    # Everyone going leaves at once: exactly the places freed go to those waiting, in order.
    going = db.session.scalars(
        db.select(Participation.actor_id).where(
            Participation.event_id == event_id, Participation.state == "going"
        )
    ).all()

    def leave(actor_id: int) -> None:
        withdraw(db.session.get(Actor, actor_id), db.session.get(Event, event_id), None)

    assert _at_once(app, leave, going) == []
    found = _states(event_id)
    assert found.count("going") == PLACES
    assert found.count("waiting") == PEOPLE - 2 * PLACES
    waiting = db.session.scalars(
        db.select(Participation).where(
            Participation.event_id == event_id, Participation.state == "waiting"
        )
    ).all()
    assert sorted(waiting_position(row) for row in waiting) == list(range(1, len(waiting) + 1))
