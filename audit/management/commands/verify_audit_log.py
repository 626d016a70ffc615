from django.core.management.base import BaseCommand, CommandError

from audit.chain import chained_models, verify


class Command(BaseCommand):
    help = "Verify every hash-chained log (case reads, exports, the security log)."

    def handle(self, *args, **options):
        broken = []
        for model in chained_models():
            verdict = verify(model)
            if verdict.intact:
                self.stdout.write(f"{verdict.chain}: {verdict.rows} rows, intact")
            else:
                where = f" at row {verdict.broken_at}" if verdict.broken_at else ""
                self.stdout.write(f"{verdict.chain}: BROKEN{where}: {verdict.problem}")
                broken.append(verdict.chain)
        if broken:
            raise CommandError(f"The chain does not verify: {', '.join(broken)}")
