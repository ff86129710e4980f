from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from citedesmetiers import services


class Command(BaseCommand):
    help = "Creates one demo account per role (demo and dev modes only) and prints them; idempotent."

    def handle(self, *args, **options):
        try:
            accounts = services.demo_accounts_create()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        created = sum(1 for _, was_created in accounts if was_created)
        with translation.override("en"):
            lines = [
                f"  {account.username:<18} {account.role.label}"
                + (f" ({account.partner_code})" if account.partner_code else "")
                for account, _ in accounts
            ]
        self.stdout.write(
            f"Demo accounts ({created} created, {len(accounts) - created} kept), "
            f"password for all: {services.DEMO_PASSWORD}\n" + "\n".join(lines)
        )
