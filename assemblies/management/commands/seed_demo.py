from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from assemblies.demo import seed_demo


class Command(BaseCommand):
    help = "Load the demo organisations, assemblies and people (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = seed_demo()
        # The lottery's demo (a pool in recruitment, a drawn panel) builds on
        # the assemblies above; lottery may import assemblies, not the reverse.
        from lottery.demo import seed_lottery_demo

        code = seed_lottery_demo()
        site = settings.SITE_URL
        out = self.stdout
        out.write(self.style.SUCCESS("Demo data is ready. Log in at " + f"{site}/accounts/login/"))
        out.write(f"  Admin (superuser):          {logins.admin[0]}  /  {logins.admin[1]}")
        out.write(f"  Organiser (Northshire):     {logins.organiser[0]}  /  {logins.organiser[1]}")
        out.write(
            f"  Organiser (Riverside):      {logins.other_organiser[0]}  /  {logins.other_organiser[1]}"
        )
        out.write(f"  Member (login by code):     {logins.member}")
        if code:
            out.write(f"  Register as a respondent:   {site}/register/?code={code}")
        if settings.PLENARY_DEMO_MAILBOX:
            out.write(f"  Read login codes in the demo mailbox: {site}/dev/mailbox/")
