"""Instruments as data: the two instruments of the seeds load verbatim (checked against the
seed files themselves), a malformed file is refused saying where, and a new instrument loads
and can be completed with no code change."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from self_assessments import instruments
from self_assessments.instruments import InstrumentError, parse, validate
from self_assessments.models import Instrument, Item

SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
BEYOND_REFERRALS_SEED = SEEDS / "000_38bdf9eb8bc30ffa.txt"
NSPCC_SEED = SEEDS / "003_3015a5389302777f.txt"
needs_seeds = pytest.mark.skipif(
    not SEEDS.is_dir(),
    reason=f"the seed documents are not beside the repository ({SEEDS} is absent)",
)


def normalised(text):
    """Whitespace collapsed and list bullets dropped: the seed is text extracted from a PDF."""
    text = re.sub(r"(?m)^\s*- ", " ", text.replace("•", " "))
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def loaded(db):
    instruments.ensure_bundled()
    return {
        "br": Instrument.objects.get(key="beyond-referrals-multi-agency"),
        "nspcc": Instrument.objects.get(key="nspcc-hsb-framework-audit"),
    }


@needs_seeds
def test_beyond_referrals_has_four_levers_and_every_theme_verbatim(loaded):
    instrument = loaded["br"]
    seed = BEYOND_REFERRALS_SEED.read_text(encoding="utf-8")
    flat = normalised(seed)
    sections = list(instrument.sections.all())
    assert [s.title for s in sections] == [
        "Structures and systems",
        "Prevention",
        "Identification",
        "Response and intervention",
    ]
    assert [s.items.count() for s in sections] == [7, 4, 5, 5]
    # The lever headings of the seed carry the same counts: "PREVENTION (4)" and so on.
    for section in sections:
        assert f"{section.title.upper()} ({section.items.count()})" in seed
    seed_themes = [
        line.split("\t")[0].strip()
        for line in seed.splitlines()
        if line.count("\t") == 4 and not line.startswith(("THEME", "STRUCTURES"))
    ]
    items = list(Item.objects.filter(instrument=instrument))
    # Every theme row of the seed's table is loaded (Partnership approach is laid out as a
    # block in the seed, not a table row).
    assert set(seed_themes) <= {i.title for i in items}
    assert len(items) == 21
    for item in items:
        assert item.title in seed, item.title
        assert normalised(item.text) in flat, item.number
        assert set(item.descriptors) == {"green", "amber", "red"}, item.number
        for level, text in item.descriptors.items():
            assert text.strip(), (item.number, level)
            assert normalised(text) in flat, (item.number, level, text)
    # The scale: green first, then amber, then red; scored 2, 1, 0.
    assert [(lv["label"], lv["value"]) for lv in instrument.scale] == [
        ("GREEN", 2),
        ("AMBER", 1),
        ("RED", 0),
    ]
    assert "Contextual Safeguarding Network" in instrument.publisher


@needs_seeds
def test_nspcc_audit_has_every_statement_number_of_the_seed(loaded):
    instrument = loaded["nspcc"]
    seed = NSPCC_SEED.read_text(encoding="utf-8")
    numbers_in_seed = re.findall(r"^(\d\.\d[a-c]?)\t", seed, flags=re.MULTILINE)
    assert numbers_in_seed[0] == "1.1" and numbers_in_seed[-1] == "5.8"
    items = {i.number: i for i in Item.objects.filter(instrument=instrument)}
    stems = {i.stem_number for i in items.values() if i.stem_number}
    # Every number of the seed is a scored statement, or the stem of lettered parts.
    assert set(numbers_in_seed) == set(items) | stems
    assert stems == {"1.6", "2.1", "4.1"}
    assert {"1.6a", "1.6b", "1.6c", "2.1a", "2.1b", "2.1c", "4.1a", "4.1b", "4.1c"} <= set(items)
    flat = normalised(seed)
    for item in items.values():
        assert normalised(item.text) in flat, item.number
        if item.stem:
            assert normalised(item.stem) in flat, item.number
    assert instrument.sections.count() == 5
    assert [(lv["value"], lv["meaning"]) for lv in instrument.scale][::-1][0] == (
        0,
        "Not at all/never/no evidence for this",
    )
    assert [lv["value"] for lv in instrument.scale] == [4, 3, 2, 1, 0]
    for level in instrument.scale:
        assert normalised(level["meaning"]) in flat
    assert "NSPCC" in instrument.publisher


def test_bundled_instruments_load_once(loaded):
    instruments.ensure_bundled()
    assert Instrument.objects.count() == 2
    _, created = instruments.load_file(instruments.BUNDLED[0])
    assert created is False


# --- malformed files ---------------------------------------------------------------------


def minimal(**changes):
    doc = {
        "format": 1,
        "key": "beyond-referrals-schools",
        "version": "2020-local",
        "name": "Beyond Referrals: levers for addressing HSB in schools (schools' version)",
        "short_name": "Beyond Referrals (schools)",
        "family": "beyond_referrals",
        "audience": "school",
        "publisher": "Contextual Safeguarding Network, University of Bedfordshire",
        "source": "Brought by the local authority",
        "scale": [
            {"key": "green", "value": 2, "label": "GREEN"},
            {"key": "amber", "value": 1, "label": "AMBER"},
            {"key": "red", "value": 0, "label": "RED"},
        ],
        "sections": [
            {
                "key": "structures",
                "title": "Structures and systems",
                "items": [
                    {
                        "number": "1.1",
                        "title": "Safeguarding policy",
                        "text": "The school's policy on HSB",
                        "descriptors": {
                            "green": "The policy names HSB and is used.",
                            "amber": "The policy names HSB.",
                            "red": "The policy does not name HSB.",
                        },
                    },
                    {
                        "number": "1.2",
                        "title": "Behaviour logs",
                        "text": "How incidents are logged",
                        "descriptors": {
                            "green": "Logs are analysed for patterns every term.",
                            "amber": "Incidents are logged.",
                            "red": "Incidents are not logged consistently.",
                        },
                    },
                ],
            },
            {
                "key": "prevention",
                "title": "Prevention",
                "items": [
                    {
                        "number": "2.1",
                        "title": "RSE",
                        "text": "Relationships and sex education",
                        "descriptors": {
                            "green": "RSE is planned with pupils and reviewed.",
                            "amber": "RSE is taught.",
                            "red": "RSE is not yet in place.",
                        },
                    }
                ],
            },
        ],
    }
    doc.update(changes)
    return doc


def write(tmp_path, doc_or_text, name="instrument.json"):
    path = tmp_path / name
    text = doc_or_text if isinstance(doc_or_text, str) else json.dumps(doc_or_text, indent=2)
    path.write_text(text, encoding="utf-8")
    return path


def test_syntax_error_names_its_line(tmp_path):
    text = json.dumps(minimal(), indent=2).splitlines()
    text[5] = text[5].rstrip(",")  # a missing comma on line 6
    path = write(tmp_path, "\n".join(text))
    with pytest.raises(InstrumentError) as caught:
        instruments.read_file(path)
    assert "line 7" in str(caught.value) or "line 6" in str(caught.value)
    assert "not valid JSON" in str(caught.value)


def test_missing_descriptor_names_line_and_key(tmp_path):
    doc = minimal()
    del doc["sections"][0]["items"][1]["descriptors"]["amber"]
    text = json.dumps(doc, indent=2)
    path = write(tmp_path, text)
    with pytest.raises(InstrumentError) as caught:
        instruments.read_file(path)
    problems = caught.value.problems
    assert len(problems) == 1
    lines = text.splitlines()
    green = next(n for n, line in enumerate(lines) if "Logs are analysed" in line)
    assert lines[green - 1].strip() == '"descriptors": {'
    expected_line = green  # the 1-based number of the line before "green"
    assert problems[0] == (
        f'line {expected_line}, sections[0].items[1].descriptors: "amber" is missing'
    )


def test_every_fault_is_listed_with_where(tmp_path):
    doc = minimal(audience="everyone", scale=[{"key": "yes", "value": 1, "label": "Yes"}])
    doc["sections"][1]["items"][0]["number"] = "1.1"
    doc["sections"][1]["items"][0]["colour"] = "blue"
    del doc["publisher"]
    with pytest.raises(InstrumentError) as caught:
        validate(parse(json.dumps(doc, indent=2)), "x.json")
    message = str(caught.value)
    assert '"publisher" is missing' in message
    assert "audience: must be one of partnership, school" in message
    assert "scale: must list at least two levels" in message
    assert 'sections[1].items[0].number: "1.1" is used twice' in message
    assert 'sections[1].items[0]: unknown key "colour"' in message
    assert all(p.startswith("line ") for p in caught.value.problems)


def test_command_refuses_a_malformed_file_and_loads_nothing(tmp_path, db):
    doc = minimal()
    doc["sections"][0]["items"][0]["descriptors"]["purple"] = "?"
    path = write(tmp_path, doc)
    with pytest.raises(CommandError) as caught:
        call_command("load_instrument", str(path), stdout=StringIO())
    assert 'sections[0].items[0].descriptors: "purple" is not a level of the scale' in str(
        caught.value
    )
    assert not Instrument.objects.filter(key="beyond-referrals-schools").exists()


def test_changed_file_needs_a_new_version(tmp_path, db):
    path = write(tmp_path, minimal())
    call_command("load_instrument", str(path), stdout=StringIO())
    doc = minimal()
    doc["sections"][0]["title"] = "Structures"
    path = write(tmp_path, doc)
    with pytest.raises(CommandError, match="already loaded with different content"):
        call_command("load_instrument", str(path), stdout=StringIO())
    doc["version"] = "2021-local"
    out = StringIO()
    call_command("load_instrument", str(write(tmp_path, doc)), stdout=out)
    assert "Loaded" in out.getvalue()
    assert Instrument.objects.filter(key="beyond-referrals-schools").count() == 2


def test_the_documented_example_file_is_valid():
    example = instruments.DATA_DIR.parent / "example_instrument.json"
    validate(parse(example.read_text(encoding="utf-8")), str(example))
