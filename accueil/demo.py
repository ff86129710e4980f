"""The desk's part of the demo centre's history: the visits and the queue's tickets that the simulation
of each day decides (stats.demo orchestrates the days), built and written here, where accueil's tables
are written."""

import uuid
from datetime import date

from accueil.models import Ticket, TicketCounter, Visit

BATCH = 2000


class DeskRows:
    """The rows of the days simulated since the last `write`: built as they are decided, written in bulk."""

    def __init__(self) -> None:
        self.visits: list[Visit] = []
        self.tickets: list[Ticket] = []
        self.counters: list[TicketCounter] = []

    def visit(self, **fields) -> Visit:
        """A visit of the day (its key minted here); a cancelled one gets its cancellation afterwards."""
        visit = Visit(key=uuid.uuid4(), **fields)
        self.visits.append(visit)
        return visit

    @staticmethod
    def ticket(**fields) -> Ticket:
        """A ticket of the day, numbered with the others of its day by `day_tickets`."""
        return Ticket(**fields)

    def day_tickets(self, day: date, tickets: list[Ticket]) -> None:
        """A day's tickets numbered in the order they were issued, and the day's counter."""
        tickets.sort(key=lambda ticket: (ticket.issued_at, ticket.called_at))
        for number, ticket in enumerate(tickets, 1):
            ticket.number = number
        self.tickets += tickets
        if tickets:
            self.counters.append(TicketCounter(service_date=day, last=len(tickets)))

    def write(self) -> dict[str, int]:
        """Writes the rows built so far (the tickets after their visits) and forgets them; how many."""
        Visit.objects.bulk_create(self.visits, batch_size=BATCH)
        Ticket.objects.bulk_create(self.tickets, batch_size=BATCH)
        TicketCounter.objects.bulk_create(
            self.counters,
            batch_size=BATCH,
            update_conflicts=True,
            unique_fields=["service_date"],
            update_fields=["last"],
        )
        written = {"visits": len(self.visits), "tickets": len(self.tickets)}
        self.visits, self.tickets, self.counters = [], [], []
        return written


def history_exists(*, before) -> bool:
    """Whether visits exist before an instant (the demo's, or real ones)."""
    return Visit.objects.filter(occurred_at__lt=before).exists()
