"""Load a self-assessment instrument from a data file (format: self_assessments/data/
FORMAT.md). With no file, loads the instruments that ship with the app (the seeds')."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import LocalAuthority
from self_assessments import instruments
from self_assessments.instruments import InstrumentError


class Command(BaseCommand):
    help = "Validate and load an audit instrument file (JSON); refuse a malformed one."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="Instrument files (JSON).")
        parser.add_argument(
            "--authority",
            help="The three-digit code of the only authority that may use it (default: all).",
        )
        parser.add_argument("--check", action="store_true", help="Validate only; load nothing.")

    def handle(self, *args, files, authority, check, **options):
        scope = None
        if authority:
            scope = LocalAuthority.objects.filter(code=authority).first()
            if scope is None:
                raise CommandError(f"No local authority has the code {authority}.")
        if not files:
            instruments.ensure_bundled()
            self.stdout.write("The bundled instruments are loaded.")
            return
        for path in files:
            try:
                if check:
                    doc = instruments.read_file(path)
                    self.stdout.write(f"{path}: valid ({doc['key']} version {doc['version']})")
                    continue
                instrument, created = instruments.load_file(path, authority=scope)
            except FileNotFoundError as exc:
                raise CommandError(f"{path}: no such file") from exc
            except InstrumentError as exc:
                raise CommandError(str(exc)) from exc
            if created:
                items = instrument.items.count()
                self.stdout.write(
                    f"Loaded {instrument} from {path}: {instrument.sections.count()} "
                    f"{instrument.section_label.lower()}s, {items} items"
                    + (f", for {scope.name} only" if scope else "")
                )
            else:
                self.stdout.write(f"{instrument} is already loaded: nothing to do.")
