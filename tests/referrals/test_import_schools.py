"""The GIAS import: python manage.py import_schools."""

import csv
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import LocalAuthority, School
from referrals.indicators import seed_indicators
from referrals.management.commands.import_schools import parse_row
from referrals.models import ThresholdIndicator
from tests.accounts.factories import LocalAuthorityFactory

SAMPLE = Path(__file__).resolve().parents[2] / "referrals" / "data" / "sample_schools.csv"
HEADER = [
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentName",
    "EstablishmentStatus (name)",
    "OpenDate",
    "NumberOfPupils",
    "Street",
    "Postcode",
]


def run(*args):
    """Run the command; return (stdout, stderr)."""
    out, err = StringIO(), StringIO()
    call_command("import_schools", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write_csv(path, rows, header=HEADER, encoding="cp1252"):
    with open(path, "w", encoding=encoding, newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def school_row(urn, name="Fictional Primary School", la="999", opened="01-09-2010", pupils="200"):
    return [urn, la, "Exampleshire", name, "Open", opened, pupils, "High Street", "ZZ99 1AA"]


def sample_text():
    return SAMPLE.read_text(encoding="cp1252")


# parse_row, the pure part


def test_parse_row_converts_cells_to_field_values():
    row = dict(zip(HEADER, school_row("990001", opened="05-01-2015", pupils=""), strict=True))
    assert parse_row(row) == {
        "urn": "990001",
        "la_code": "999",
        "la_name": "Exampleshire",
        "name": "Fictional Primary School",
        "status": "Open",
        "opened_on": date(2015, 1, 5),
        "number_of_pupils": None,
        "street": "High Street",
        "postcode": "ZZ99 1AA",
    }


def test_parse_row_names_every_problem():
    row = dict(zip(HEADER, school_row("9901", opened="31-02-2015", pupils="-3"), strict=True))
    with pytest.raises(ValueError) as raised:
        parse_row(row)
    assert str(raised.value) == (
        'URN "9901" is not six digits; NumberOfPupils "-3" is not a whole number; '
        'OpenDate "31-02-2015" is not a date in dd-mm-yyyy form'
    )


# The sample file


@pytest.mark.django_db
def test_sample_file_imports_every_school():
    out, err = run(SAMPLE)

    assert School.objects.count() == 26
    assert School.objects.filter(la_code="999").count() == 22
    assert School.objects.filter(la_code="998").count() == 4
    assert "Imported 26 schools: 26 created, 0 updated, 0 unchanged, 0 skipped" in out
    assert "0 bad rows" in out
    assert err == ""


@pytest.mark.django_db
def test_sample_names_with_accents_and_apostrophes_round_trip_exactly():
    run(SAMPLE)

    names = set(School.objects.values_list("name", flat=True))
    assert {
        "Café Lane Primary School",
        "Ænon Free School",
        "Héloïse Grange Special School",
        "St Brigid's Catholic Primary School",
        # A curly apostrophe is byte 0x92 in cp1252; Latin-1 would have read it as "\x92".
        "Our Lady’s Convent High School",
    } <= names


@pytest.mark.django_db
def test_sample_empty_cells_become_none_or_blank_and_dates_are_parsed():
    run(SAMPLE)

    pru = School.objects.get(urn="990009")
    assert pru.number_of_pupils is None
    assert pru.street == ""
    assert pru.opened_on == date(2008, 9, 1)
    assert pru.closed_on is None
    assert pru.phase == "Not applicable"
    assert pru.establishment_type == "Pupil referral unit"

    closed = School.objects.get(urn="990012")
    assert closed.status == "Closed"
    assert closed.opened_on is None
    assert closed.closed_on == date(2019, 8, 31)

    academy = School.objects.get(urn="990001")
    assert academy.number_of_pupils == 1123
    assert academy.address == "Marsh Road, Puddleby-on-the-Marsh, ZZ99 1AA"
    # A quoted cell with a comma in it.
    assert School.objects.get(urn="990016").status == "Open, but proposed to close"


@pytest.mark.django_db
def test_gias_locality_column_does_not_fill_local_locality():
    run(SAMPLE)

    # GIAS's "Locality" is part of the address ("Lower Puddleby"); ours is the panel region.
    assert School.objects.get(urn="990003").locality == ""


@pytest.mark.django_db
def test_new_authorities_are_created_with_indicators_seeded():
    out, _ = run(SAMPLE)

    exampleshire = LocalAuthority.objects.get(code="999")
    assert exampleshire.name == "Exampleshire"
    assert LocalAuthority.objects.get(code="998").name == "Otherborough"
    assert ThresholdIndicator.objects.filter(authority=exampleshire).exists()
    assert seed_indicators(exampleshire) == 0  # already fully seeded
    assert set(exampleshire.schools.values_list("la_name", flat=True)) == {"Exampleshire"}
    assert "Created local authority Exampleshire (999)" in out


@pytest.mark.django_db
def test_existing_authority_is_used_as_it_is():
    authority = LocalAuthorityFactory(code="999", name="Exampleshire County Council")

    run(SAMPLE)

    authority.refresh_from_db()
    assert authority.name == "Exampleshire County Council"
    assert authority.schools.count() == 22
    assert not ThresholdIndicator.objects.filter(authority=authority).exists()


# Running again


@pytest.mark.django_db
def test_reimport_changes_nothing_and_adds_no_history():
    run(SAMPLE)
    history_rows = School.history.count()

    out, err = run(SAMPLE)

    assert "Imported 26 schools: 0 created, 0 updated, 26 unchanged" in out
    assert err == ""
    assert School.objects.count() == 26
    assert School.history.count() == history_rows


@pytest.mark.django_db
def test_changed_name_updates_that_school_and_keeps_its_locality(tmp_path):
    run(SAMPLE)
    School.objects.filter(urn="990001").update(locality="North")
    changed = tmp_path / "changed.csv"
    changed.write_text(
        sample_text().replace("Puddleby Academy,", "Puddleby Marsh Academy,"), encoding="cp1252"
    )

    out, _ = run(changed)

    assert "0 created, 1 updated, 25 unchanged" in out
    school = School.objects.get(urn="990001")
    assert school.name == "Puddleby Marsh Academy"
    assert school.locality == "North"
    latest = school.history.first()
    assert latest.history_change_reason == "GIAS import"
    assert latest.history_user is None
    assert latest.history_type == "~"


# Choosing authorities


@pytest.mark.django_db
def test_la_option_imports_only_that_authority():
    out, _ = run(SAMPLE, "--la", "998")

    assert set(School.objects.values_list("la_code", flat=True)) == {"998"}
    assert School.objects.count() == 4
    assert not LocalAuthority.objects.filter(code="999").exists()
    assert "Imported 4 schools: 4 created, 0 updated, 0 unchanged, 22 skipped" in out


@pytest.mark.django_db
def test_la_option_may_be_repeated():
    run(SAMPLE, "--la", "998", "--la", "999")

    assert School.objects.count() == 26


@pytest.mark.django_db
def test_la_option_needs_three_digits():
    with pytest.raises(CommandError, match="three-digit codes, not 99"):
        run(SAMPLE, "--la", "99")


# Bad rows


@pytest.mark.django_db
def test_bad_rows_are_reported_by_line_and_good_rows_still_import(tmp_path):
    rows = [
        school_row("990101"),  # line 2
        school_row("12A45"),  # line 3
        school_row("990103", opened="2011-09-01"),  # line 4
        school_row("990104", pupils="about 300"),  # line 5
        school_row("990105")[:7] + ["1 High Street\nUpper Floor", "ZZ99 1AA"],  # lines 6-7
        school_row("990106", la="99"),  # line 8
        school_row("990107", name=""),  # line 9
        school_row("990108")[:-1] + ["ZZ99 1AA EXTRA"],  # line 10
        school_row("990101", name="Repeated School"),  # line 11
        ["990110", "999"],  # line 12
        school_row("990111"),  # line 13
    ]
    out, err = run(write_csv(tmp_path / "bad.csv", rows))

    assert sorted(School.objects.values_list("urn", flat=True)) == ["990101", "990105", "990111"]
    assert School.objects.get(urn="990105").street == "1 High Street\nUpper Floor"
    assert err.splitlines() == [
        'line 3: URN "12A45" is not six digits',
        'line 4: OpenDate "2011-09-01" is not a date in dd-mm-yyyy form',
        'line 5: NumberOfPupils "about 300" is not a whole number',
        'line 8: LA (code) "99" is not three digits',
        "line 9: EstablishmentName is empty",
        "line 10: Postcode is 14 characters long, more than 10 allowed",
        "line 11: URN 990101 already appeared on line 2",
        "line 12: has 2 cells, but the header has 9",
    ]
    assert "Imported 3 schools: 3 created, 0 updated, 0 unchanged, 0 skipped" in out
    assert "8 bad rows" in out


@pytest.mark.django_db
def test_bad_rows_of_other_authorities_are_skipped_not_reported(tmp_path):
    rows = [school_row("990201", la="998"), school_row("bad", la="997")]

    out, err = run(write_csv(tmp_path / "schools.csv", rows), "--la", "998")

    assert err == ""
    assert "1 created" in out
    assert "1 skipped (other authorities), 0 bad rows" in out


@pytest.mark.django_db
def test_missing_required_columns_fail_at_once(tmp_path):
    header = [column for column in HEADER if column not in ("URN", "LA (name)")]
    path = write_csv(tmp_path / "nourn.csv", [school_row("990301")[1:]], header=header)

    with pytest.raises(CommandError, match=r"no URN, LA \(name\) column"):
        run(path)
    assert not School.objects.exists()


@pytest.mark.django_db
def test_missing_optional_column_leaves_that_field_alone(tmp_path):
    run(SAMPLE)
    header = [column for column in HEADER if column != "Street"]
    row = school_row("990001", name="Puddleby Academy")
    del row[HEADER.index("Street")]

    run(write_csv(tmp_path / "nostreet.csv", [row], header=header), "--la", "999")

    assert School.objects.get(urn="990001").street == "Marsh Road"


# Reading the file


@pytest.mark.django_db
def test_utf8_file_read_as_cp1252_is_refused_with_the_fix(tmp_path):
    # Decoding it as cp1252 would "work" and store "CafÃ© Lane": refuse instead.
    path = tmp_path / "utf8.csv"
    path.write_text(sample_text(), encoding="utf-8")

    with pytest.raises(CommandError, match="looks like UTF-8.*--encoding utf-8"):
        run(path)
    assert not School.objects.exists()


@pytest.mark.django_db
def test_utf8_file_imports_with_the_encoding_option(tmp_path):
    path = tmp_path / "utf8.csv"
    path.write_text(sample_text(), encoding="utf-8-sig")  # Excel adds a byte-order mark

    run(path, "--encoding", "utf-8")

    assert School.objects.count() == 26
    assert School.objects.filter(name="Café Lane Primary School").exists()


@pytest.mark.django_db
def test_undecodable_byte_is_reported_by_line_and_nothing_imported(tmp_path):
    path = write_csv(tmp_path / "broken.csv", [school_row("990401"), school_row("990402")])
    data = path.read_bytes().replace(b"990402,999,Exampleshire", b"990402,999,Example\x81shire")
    path.write_bytes(data)

    offset = data.index(b"\x81")

    with pytest.raises(CommandError) as raised:
        run(path)
    message = str(raised.value)
    assert "Line 3 cannot be read as cp1252: byte 0x81" in message
    assert f"at byte {offset} of the file" in message
    assert not School.objects.exists()


@pytest.mark.django_db
def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read .*missing.csv: No such file"):
        run(tmp_path / "missing.csv")


@pytest.mark.django_db
def test_progress_is_written_every_thousand_rows_of_a_large_file(tmp_path):
    rows = [school_row(f"{900000 + n}") for n in range(2500)]

    out, err = run(write_csv(tmp_path / "large.csv", rows))

    assert err.splitlines() == ["... 1000 rows read", "... 2000 rows read"]
    assert "Imported 2500 schools: 2500 created" in out
    assert School.objects.count() == 2500


@pytest.mark.django_db
def test_no_progress_lines_for_a_small_file(tmp_path):
    # Skipped rows count as read, and skipping them keeps this test quick.
    rows = [school_row(f"{900000 + n}", la="998") for n in range(1000)]

    out, err = run(write_csv(tmp_path / "thousand.csv", rows), "--la", "999")

    assert "1000 skipped" in out
    assert err == "No schools were imported for authority 999.\n"
