"""Import the GIAS "all establishments" CSV into School.

Usage: python manage.py import_schools PATH [--la CODE ...] [--encoding cp1252]

The file comes from https://get-information-schools.service.gov.uk/Downloads and is
Windows-1252, not UTF-8. Schools are matched on URN, so running the import again only
changes what changed. School.locality is local data and is never touched here.
"""

import codecs
import csv
import re
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DataError, IntegrityError, transaction

from accounts.models import School, urn_validator
from accounts.services import authority_get_or_create
from referrals.indicators import seed_indicators

CHANGE_REASON = "GIAS import"
BATCH_SIZE = 500  # rows looked up in one query; each row is still saved on its own
PROGRESS_EVERY = 1000

# School field -> GIAS column. GIAS's own "Locality" column is part of the postal address
# and deliberately not mapped: School.locality is the local panel region.
COLUMNS = {
    "urn": "URN",
    "name": "EstablishmentName",
    "la_code": "LA (code)",
    "la_name": "LA (name)",
    "establishment_type": "TypeOfEstablishment (name)",
    "phase": "PhaseOfEducation (name)",
    "status": "EstablishmentStatus (name)",
    "street": "Street",
    "town": "Town",
    "postcode": "Postcode",
    "number_of_pupils": "NumberOfPupils",
    "opened_on": "OpenDate",
    "closed_on": "CloseDate",
}
REQUIRED = ("urn", "name", "la_code", "la_name")
DATES = ("opened_on", "closed_on")
COUNTS = ("number_of_pupils",)
LA_CODE = re.compile(r"[0-9]{3}")
DIGITS = re.compile(r"[0-9]+")
DATE = re.compile(r"[0-9]{2}-[0-9]{2}-[0-9]{4}")
MAX_COUNT = 2**31 - 1  # PositiveIntegerField's limit in PostgreSQL


def parse_row(row):
    """Turn one GIAS row (column -> text) into School field values.

    Only columns present in the row are returned, so a file without, say, Street leaves
    existing streets alone rather than blanking them. Raises ValueError naming every
    problem in the row.
    """
    values, problems = {}, []
    for field, column in COLUMNS.items():
        if column not in row:
            continue
        raw = (row[column] or "").strip()
        try:
            values[field] = _convert(field, column, raw)
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        raise ValueError("; ".join(problems))
    return values


def _convert(field, column, raw):
    if not raw:
        if field in REQUIRED:
            raise ValueError(f"{column} is empty")
        # Empty cells are common in GIAS and mean "not known".
        return None if field in DATES + COUNTS else ""
    if field == "urn":
        try:
            urn_validator(raw)
        except ValidationError:
            raise ValueError(f'URN "{raw}" is not six digits') from None
    elif field == "la_code" and not LA_CODE.fullmatch(raw):
        raise ValueError(f'LA (code) "{raw}" is not three digits')
    elif field in DATES:
        return _date(column, raw)
    elif field in COUNTS:
        if not DIGITS.fullmatch(raw) or int(raw) > MAX_COUNT:
            raise ValueError(f'{column} "{raw}" is not a whole number')
        return int(raw)
    limit = School._meta.get_field(field).max_length
    if len(raw) > limit:
        raise ValueError(f"{column} is {len(raw)} characters long, more than {limit} allowed")
    return raw


def _date(column, raw):
    # strptime alone would accept "1-9-2011"; GIAS always writes dd-mm-yyyy.
    try:
        if not DATE.fullmatch(raw):
            raise ValueError
        return datetime.strptime(raw, "%d-%m-%Y").date()
    except ValueError:
        raise ValueError(f'{column} "{raw}" is not a date in dd-mm-yyyy form') from None


def check_decodable(path, encoding):
    """Fail before anything is written if the file will not read in this encoding.

    Most byte sequences are valid cp1252, so a UTF-8 file would "work" and store
    "CafÃ© Lane" forever. A file whose non-ASCII lines are all valid UTF-8 is almost
    certainly UTF-8, so that is refused too, with the fix.
    """
    watch_for_utf8 = codecs.lookup(encoding).name not in ("utf-8", "utf-8-sig")
    utf8_line = None
    offset = 0
    with open(path, "rb") as file:
        for number, raw in enumerate(file, start=1):
            try:
                raw.decode(encoding)
            except UnicodeDecodeError as exc:
                raise CommandError(
                    f"Line {number} cannot be read as {encoding}: byte 0x{raw[exc.start]:02X} "
                    f"at byte {offset + exc.start} of the file. Nothing was imported. "
                    "Check the file, or give its encoding with --encoding."
                ) from None
            if watch_for_utf8 and not raw.isascii():
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError:
                    watch_for_utf8 = False  # genuinely not UTF-8
                else:
                    utf8_line = utf8_line or number
            offset += len(raw)
    if watch_for_utf8 and utf8_line:
        raise CommandError(
            f"The file looks like UTF-8 (first at line {utf8_line}), not {encoding}: reading "
            "it as that would garble accented names. Nothing was imported. "
            "Run again with --encoding utf-8."
        )


class Command(BaseCommand):
    help = "Import or update schools from the GIAS all-establishments CSV (keyed on URN)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the GIAS CSV, e.g. edubasealldata20250109.csv")
        parser.add_argument(
            "--la",
            action="append",
            dest="la_codes",
            metavar="CODE",
            help="import only this three-digit local authority code; may be repeated",
        )
        parser.add_argument(
            "--encoding", default="cp1252", help="the file's encoding (GIAS uses cp1252)"
        )

    def handle(self, path, la_codes, encoding, **options):
        la_codes = set(la_codes or ())
        if bad := sorted(code for code in la_codes if not LA_CODE.fullmatch(code)):
            raise CommandError(f"--la needs three-digit codes, not {', '.join(bad)}")
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise CommandError(f'Unknown encoding "{encoding}"') from None
        if codec == "utf-8":
            encoding = "utf-8-sig"  # so a byte-order mark does not hide the URN header

        self.la_codes = la_codes
        self.counts = dict.fromkeys(("created", "updated", "unchanged", "skipped", "bad"), 0)
        self.authorities = {}
        self.first_line = {}  # URN -> line it was first seen on, to catch repeats
        try:
            check_decodable(path, encoding)
            with open(path, encoding=encoding, newline="") as file:
                self._read(csv.reader(file))
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from None

        for code in sorted(la_codes - self.authorities.keys()):
            self.stderr.write(f"No schools were imported for authority {code}.")
        c = self.counts
        self.stdout.write(
            f"Imported {c['created'] + c['updated'] + c['unchanged']} schools: "
            f"{c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged, "
            f"{c['skipped']} skipped (other authorities), {c['bad']} bad rows"
        )

    def _read(self, reader):
        header = [name.strip() for name in next(reader, [])]
        missing = [COLUMNS[field] for field in REQUIRED if COLUMNS[field] not in header]
        if missing:
            raise CommandError(
                f"The file has no {', '.join(missing)} column: is it the GIAS "
                "all-establishments CSV?"
            )
        pending = []  # (line, values) waiting for one lookup of existing schools
        rows_read = 0
        previous_end = reader.line_num
        try:
            for cells in reader:
                # A record starts on the line after the previous one ended: quoted cells may
                # span lines, so reader.line_num (the record's last line) is not its start.
                line, previous_end = previous_end + 1, reader.line_num
                rows_read += 1
                # Report 1000 only on meeting row 1001, so a 1000-row file stays quiet.
                if rows_read % PROGRESS_EVERY == 1 and rows_read > PROGRESS_EVERY:
                    self.stderr.write(f"... {rows_read - 1} rows read")
                if cells:  # a blank line is not a row
                    pending += self._parse(line, header, cells)
                if len(pending) >= BATCH_SIZE:
                    self._save_batch(pending)
                    pending = []
        except csv.Error as exc:
            raise CommandError(
                f"Line {reader.line_num} is not valid CSV ({exc}). Rows before it were "
                "imported; the import is safe to run again."
            ) from None
        self._save_batch(pending)

    def _parse(self, line, header, cells):
        """Return [(line, values)] for a row to save, or [] if it is skipped or bad."""
        if len(cells) != len(header):
            self._bad(line, f"has {len(cells)} cells, but the header has {len(header)}")
            return []
        row = dict(zip(header, cells, strict=True))
        # Filter before parsing: problems in other authorities' rows are not ours to report.
        if self.la_codes and row[COLUMNS["la_code"]].strip() not in self.la_codes:
            self.counts["skipped"] += 1
            return []
        try:
            values = parse_row(row)
        except ValueError as exc:
            self._bad(line, str(exc))
            return []
        if (first := self.first_line.setdefault(values["urn"], line)) != line:
            self._bad(line, f"URN {values['urn']} already appeared on line {first}")
            return []
        return [(line, values)]

    def _save_batch(self, pending):
        if not pending:
            return
        existing = School.objects.in_bulk(
            [values["urn"] for _, values in pending], field_name="urn"
        )
        for line, values in pending:
            self._save(line, values, existing.get(values["urn"]))

    def _save(self, line, values, school):
        authority = self._authority(values["la_code"], values["la_name"])
        values = {**values, "authority_id": authority.pk}
        if school is None:
            school, changed = School(**values), None
        else:
            changed = [field for field, value in values.items() if getattr(school, field) != value]
            if not changed:
                # Saving anyway would add a history row for every school on every run.
                self.counts["unchanged"] += 1
                return
            for field in changed:
                setattr(school, field, values[field])
        school._history_user = None
        school._change_reason = CHANGE_REASON
        try:
            with transaction.atomic():
                # update_fields: never write back columns (like locality) we did not change.
                school.save(update_fields=changed)
        except (IntegrityError, DataError) as exc:
            summary = str(exc).partition("\n")[0]  # drop the database's DETAIL lines
            self._bad(line, f"could not be saved: {summary}")
            return
        self.counts["updated" if changed else "created"] += 1

    def _authority(self, code, name):
        if code not in self.authorities:
            with transaction.atomic():
                authority, created = authority_get_or_create(code=code, name=name)
                if created:
                    seeded = seed_indicators(authority)
                    self.stdout.write(
                        f"Created local authority {authority} with {seeded} threshold indicators"
                    )
            self.authorities[code] = authority
        return self.authorities[code]

    def _bad(self, line, reason):
        self.counts["bad"] += 1
        self.stderr.write(f"line {line}: {reason}")
