"""The demo's current two-step verification code (every demo person shares one key)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo_data.management.commands.demo import DOMAIN


class Command(BaseCommand):
    help = "Print the current security code of the demo's people."

    def handle(self, *args, **options):
        device = TOTPDevice.objects.filter(user__email__endswith=f"@{DOMAIN}").first()
        if device is None:
            raise CommandError("No demo data here: run ./demo first.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        left = device.step - int(time.time() - device.t0) % device.step
        self.stdout.write(f"{totp.token():06d}  (for {left} more seconds)")
