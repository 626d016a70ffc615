"""Instruments as data: read, validate and load an instrument file (format in
self_assessments/data/FORMAT.md), and the bundled instruments of the seeds.

A malformed file is refused as a whole with every problem found, each saying where: the line
of the file and the path of the key at fault (for example `line 48, sections[1].items[2]
.descriptors: "amber" is missing`). Nothing is loaded from a file with a problem."""

import hashlib
import json
import re
from json import decoder as json_decoder
from json import scanner as json_scanner
from pathlib import Path

from django.db import transaction
from django.db.models import Q

from self_assessments.models import Audience, Instrument, Item, Section

DATA_DIR = Path(__file__).resolve().parent / "data" / "instruments"
BUNDLED = [
    DATA_DIR / "beyond_referrals_multi_agency.json",
    DATA_DIR / "nspcc_hsb_framework_audit.json",
]
MULTI_AGENCY_BEYOND_REFERRALS = "beyond-referrals-multi-agency"
FORMAT_VERSION = 1
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
NUMBER = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.]*$")

TOP_REQUIRED = {
    "format",
    "key",
    "version",
    "name",
    "family",
    "audience",
    "publisher",
    "source",
    "scale",
    "sections",
}
TOP_OPTIONAL = {
    "short_name",
    "source_url",
    "guidance",
    "section_label",
    "item_label",
    "note_label",
    "gap_at_or_below",
    "evidence_methods",
    "about",
}
DEFAULT_EVIDENCE = [
    {"key": "case_reviews", "label": "Case reviews"},
    {"key": "meeting_observations", "label": "Observations of meetings"},
    {"key": "staff_engagement", "label": "Engagement with staff"},
    {"key": "policy_review", "label": "Review of policies and procedures"},
    {"key": "young_people", "label": "Engagement with young people"},
    {"key": "behaviour_logs", "label": "Review of behaviour logs"},
]


class InstrumentError(ValueError):
    """A malformed instrument file. `problems` lists each fault with its line and key."""

    def __init__(self, source, problems):
        self.source = source
        self.problems = problems
        listed = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source} is not a valid instrument file:\n{listed}")


# --- reading JSON with line numbers ------------------------------------------------------


class _Located(dict):
    """A JSON object that knows the line it starts on."""

    line = None


class _LocatedList(list):
    line = None


def _decoder(text):
    decoder = json.JSONDecoder()

    def parse_object(s_and_end, *args, **kwargs):
        s, end = s_and_end
        value, new_end = json_decoder.JSONObject(s_and_end, *args, **kwargs)
        located = _Located(value)
        located.line = s.count("\n", 0, end) + 1
        return located, new_end

    def parse_array(s_and_end, scan_once, **kwargs):
        s, end = s_and_end
        value, new_end = json_decoder.JSONArray(s_and_end, scan_once, **kwargs)
        located = _LocatedList(value)
        located.line = s.count("\n", 0, end) + 1
        return located, new_end

    decoder.parse_object = parse_object
    decoder.parse_array = parse_array
    decoder.scan_once = json_scanner.py_make_scanner(decoder)
    return decoder


def parse(text, source="the file"):
    """The file's JSON, each object and list knowing its line; a syntax error names its line
    and column."""
    try:
        return _decoder(text).decode(text)
    except json.JSONDecodeError as exc:
        raise InstrumentError(
            source, [f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"]
        ) from exc


# --- validation ---------------------------------------------------------------------------


class _Checker:
    def __init__(self):
        self.problems = []

    def fault(self, node, path, message):
        line = getattr(node, "line", None)
        where = f"line {line}, {path}" if line else path
        self.problems.append(f"{where}: {message}")

    def text(self, node, parent, key, path, *, required=True, max_length=None):
        value = parent.get(key)
        if value is None:
            if required:
                self.fault(parent, path, f'"{key}" is missing')
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.fault(parent, f"{path}.{key}", "must be a non-empty text")
            return ""
        if max_length and len(value) > max_length:
            self.fault(parent, f"{path}.{key}", f"is longer than {max_length} characters")
        return value.strip()

    def keys(self, node, path, required, optional):
        for key in sorted(required - set(node)):
            self.fault(node, path, f'"{key}" is missing')
        for key in sorted(set(node) - required - optional):
            self.fault(node, path, f'unknown key "{key}"')


def validate(doc, source="the file"):
    """Check a parsed instrument file; raise InstrumentError listing every fault."""
    check = _Checker()
    if not isinstance(doc, dict):
        raise InstrumentError(source, ["line 1: the file must hold one JSON object"])
    check.keys(doc, "(top level)", TOP_REQUIRED, TOP_OPTIONAL)
    if "format" in doc and doc["format"] != FORMAT_VERSION:
        check.fault(doc, "format", f"must be {FORMAT_VERSION}")
    for key in ("key", "family"):
        value = doc.get(key)
        if value is not None and not (isinstance(value, str) and SLUG.match(value)):
            check.fault(doc, key, "must be lower-case letters, digits, - or _")
    for key in ("version", "name", "publisher", "source"):
        if key in doc:
            check.text(doc, doc, key, "(top level)")
    if "audience" in doc and doc["audience"] not in Audience.values:
        check.fault(doc, "audience", f"must be one of {', '.join(Audience.values)}")
    scale_keys, top_value = _check_scale(check, doc.get("scale"))
    gap = doc.get("gap_at_or_below")
    if gap is not None and not (isinstance(gap, int) and 0 <= gap < (top_value or 1)):
        check.fault(doc, "gap_at_or_below", "must be a whole number below the scale's top value")
    _check_evidence(check, doc)
    _check_sections(check, doc.get("sections"), scale_keys)
    if check.problems:
        raise InstrumentError(source, check.problems)
    return doc


def _check_scale(check, scale):
    if scale is None:
        return set(), None
    if not isinstance(scale, list) or len(scale) < 2:
        check.fault(scale, "scale", "must list at least two levels")
        return set(), None
    keys, values = set(), set()
    for i, level in enumerate(scale):
        path = f"scale[{i}]"
        if not isinstance(level, dict):
            check.fault(scale, path, "must be an object with key, value and label")
            continue
        check.keys(level, path, {"key", "value", "label"}, {"meaning"})
        key, value = level.get("key"), level.get("value")
        if not (isinstance(key, str) and key):
            check.fault(level, f"{path}.key", "must be a non-empty text")
        elif key in keys:
            check.fault(level, f"{path}.key", f'"{key}" is used twice')
        keys.add(key)
        if not (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
            check.fault(level, f"{path}.value", "must be a whole number, 0 or more")
        elif value in values:
            check.fault(level, f"{path}.value", f"{value} is used twice")
        else:
            values.add(value)
        if "label" in level:
            check.text(level, level, "label", path)
    order = [lv.get("value") for lv in scale if isinstance(lv, dict)]
    in_order = order in (sorted(order, reverse=True), sorted(order))
    if all(isinstance(v, int) for v in order) and not in_order:
        check.fault(scale, "scale", "list the levels in order of value")
    return keys, max(values) if values else None


def _check_evidence(check, doc):
    methods = doc.get("evidence_methods")
    if methods is None:
        return
    if not isinstance(methods, list):
        check.fault(doc, "evidence_methods", "must be a list of {key, label}")
        return
    seen = set()
    for i, method in enumerate(methods):
        path = f"evidence_methods[{i}]"
        if not isinstance(method, dict):
            check.fault(methods, path, "must be an object with key and label")
            continue
        check.keys(method, path, {"key", "label"}, set())
        if method.get("key") in seen:
            check.fault(method, f"{path}.key", "is used twice")
        seen.add(method.get("key"))


def _check_sections(check, sections, scale_keys):
    if sections is None:
        return
    if not isinstance(sections, list) or not sections:
        check.fault(sections, "sections", "must list at least one section")
        return
    section_keys, numbers = set(), set()
    with_descriptors = []
    for s, section in enumerate(sections):
        path = f"sections[{s}]"
        if not isinstance(section, dict):
            check.fault(sections, path, "must be an object")
            continue
        check.keys(section, path, {"key", "title", "items"}, {"title_note", "description"})
        key = section.get("key")
        if key is not None and not (isinstance(key, str) and SLUG.match(key)):
            check.fault(section, f"{path}.key", "must be lower-case letters, digits, - or _")
        elif key in section_keys:
            check.fault(section, f"{path}.key", f'"{key}" is used twice')
        section_keys.add(key)
        if "title" in section:
            check.text(section, section, "title", path, max_length=200)
        items = section.get("items")
        if items is None:
            continue
        if not isinstance(items, list) or not items:
            check.fault(section, f"{path}.items", "must list at least one item")
            continue
        for i, item in enumerate(items):
            ipath = f"{path}.items[{i}]"
            if not isinstance(item, dict):
                check.fault(items, ipath, "must be an object")
                continue
            check.keys(item, ipath, {"number", "text"}, {"title", "descriptors", "parts"})
            number = _check_number(check, item, ipath, numbers)
            if "text" in item:
                check.text(item, item, "text", ipath)
            if "title" in item:
                check.text(item, item, "title", ipath, max_length=200)
            if "descriptors" in item:
                with_descriptors.append((item, ipath))
                _check_descriptors(check, item, ipath, scale_keys)
            parts = item.get("parts")
            if parts is None:
                continue
            if not isinstance(parts, list) or not parts:
                check.fault(item, f"{ipath}.parts", "must list at least one part")
                continue
            if "descriptors" in item:
                check.fault(item, ipath, "an item with parts scores its parts: no descriptors")
            for p, part in enumerate(parts):
                ppath = f"{ipath}.parts[{p}]"
                if not isinstance(part, dict):
                    check.fault(parts, ppath, "must be an object with number and text")
                    continue
                check.keys(part, ppath, {"number", "text"}, set())
                part_number = _check_number(check, part, ppath, numbers)
                if number and part_number and not part_number.startswith(number):
                    check.fault(part, f"{ppath}.number", f'must start with its item\'s "{number}"')
                if "text" in part:
                    check.text(part, part, "text", ppath)
    all_items = [
        (item, f"sections[{s}].items[{i}]")
        for s, section in enumerate(sections)
        if isinstance(section, dict) and isinstance(section.get("items"), list)
        for i, item in enumerate(section["items"])
        if isinstance(item, dict)
    ]
    if with_descriptors and len(with_descriptors) != len(all_items):
        for item, ipath in all_items:
            if "descriptors" not in item:
                check.fault(item, ipath, '"descriptors" is missing (other items have them)')


def _check_number(check, node, path, numbers):
    number = node.get("number")
    if number is None:
        return None
    if not (isinstance(number, str) and NUMBER.match(number) and len(number) <= 20):
        check.fault(node, f"{path}.number", 'must be a text like "1.2" or "1.6a"')
        return None
    if number in numbers:
        check.fault(node, f"{path}.number", f'"{number}" is used twice')
    numbers.add(number)
    return number


def _check_descriptors(check, item, path, scale_keys):
    descriptors = item["descriptors"]
    if not isinstance(descriptors, dict):
        check.fault(item, f"{path}.descriptors", "must be an object, one text per level")
        return
    for key in sorted(scale_keys - set(descriptors)):
        check.fault(descriptors, f"{path}.descriptors", f'"{key}" is missing')
    for key in sorted(set(descriptors) - scale_keys):
        check.fault(descriptors, f"{path}.descriptors", f'"{key}" is not a level of the scale')
    for key, value in descriptors.items():
        if not (isinstance(value, str) and value.strip()):
            check.fault(descriptors, f"{path}.descriptors.{key}", "must be a non-empty text")


# --- loading --------------------------------------------------------------------------------


def checksum(doc):
    return hashlib.sha256(
        json.dumps(doc, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()


def read_file(path):
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InstrumentError(str(path), [f"byte {exc.start}: the file must be UTF-8"]) from exc
    return validate(parse(text, str(path)), str(path))


def load_file(path, *, authority=None):
    """Load an instrument file; returns (instrument, created). Loading the same version
    again is a no-op; a changed file must carry a new version."""
    return load(read_file(path), authority=authority, loaded_from=Path(path).name)


def load(doc, *, authority=None, loaded_from=""):
    digest = checksum(doc)
    existing = Instrument.objects.filter(key=doc["key"], version=doc["version"]).first()
    if existing is not None:
        if existing.checksum != digest:
            raise InstrumentError(
                loaded_from or doc["key"],
                [
                    f'version: version "{doc["version"]}" of "{doc["key"]}" is already loaded '
                    "with different content; give the changed file a new version"
                ],
            )
        return existing, False
    scale = [
        {
            "key": level["key"],
            "value": level["value"],
            "label": level["label"],
            "meaning": level.get("meaning", ""),
        }
        for level in sorted(doc["scale"], key=lambda lv: -lv["value"])
    ]
    top = scale[0]["value"]
    with transaction.atomic():
        instrument = Instrument.objects.create(
            key=doc["key"],
            version=doc["version"],
            name=doc["name"].strip(),
            short_name=(doc.get("short_name") or doc["name"])[:80].strip(),
            family=doc["family"],
            audience=doc["audience"],
            publisher=doc["publisher"].strip(),
            source=doc["source"].strip(),
            source_url=doc.get("source_url", ""),
            guidance=doc.get("guidance", ""),
            section_label=doc.get("section_label", "Section"),
            item_label=doc.get("item_label", "Item"),
            note_label=doc.get("note_label", "Note"),
            scale=scale,
            gap_at_or_below=doc.get("gap_at_or_below", top // 2),
            evidence_methods=[dict(m) for m in doc.get("evidence_methods", DEFAULT_EVIDENCE)],
            uses_descriptors=any(
                "descriptors" in item for s in doc["sections"] for item in s["items"]
            ),
            authority=authority,
            checksum=digest,
            loaded_from=loaded_from[:300],
        )
        items, position = [], 0
        for s_index, data in enumerate(doc["sections"], start=1):
            section = Section.objects.create(
                instrument=instrument,
                position=s_index,
                key=data["key"],
                title=data["title"].strip(),
                title_note=data.get("title_note", ""),
            )
            for item in data["items"]:
                scored = item.get("parts") or [item]
                for part in scored:
                    position += 1
                    is_part = part is not item
                    items.append(
                        Item(
                            instrument=instrument,
                            section=section,
                            position=position,
                            number=part["number"],
                            title=item.get("title", "").strip(),
                            text=part["text"].strip(),
                            stem_number=item["number"] if is_part else "",
                            stem=item["text"].strip() if is_part else "",
                            descriptors={
                                k: v.strip() for k, v in item.get("descriptors", {}).items()
                            },
                        )
                    )
        Item.objects.bulk_create(items)
    return instrument, True


def ensure_bundled():
    """Load the seeds' instruments if they are not loaded yet (idempotent, cheap)."""
    wanted = {}
    for path in BUNDLED:
        doc = json.loads(path.read_text(encoding="utf-8"))
        wanted[(doc["key"], doc["version"])] = path
    present = set(
        Instrument.objects.filter(key__in=[k for k, _ in wanted]).values_list("key", "version")
    )
    for pair, path in wanted.items():
        if pair not in present:
            load_file(path)


def available(authority):
    """The newest version of each instrument this authority may use."""
    ensure_bundled()
    newest = {}
    usable = Q(authority__isnull=True) | Q(authority=authority)
    for instrument in Instrument.objects.filter(usable).order_by("key", "-loaded_at", "-pk"):
        newest.setdefault(instrument.key, instrument)
    return sorted(newest.values(), key=lambda i: (i.audience, i.name))


def pathway_instrument(authority):
    """The instrument a school completes on the Beyond Referrals pathway: the newest schools'
    version of Beyond Referrals loaded for (or for every) authority, else the multi-agency
    tool of the seeds (docs/decisions/0003)."""
    candidates = [i for i in available(authority) if i.family == "beyond_referrals"]
    for_schools = [i for i in candidates if i.audience == Audience.SCHOOL]
    if for_schools:
        return max(for_schools, key=lambda i: (i.authority_id is not None, i.loaded_at))
    return (
        Instrument.objects.filter(key=MULTI_AGENCY_BEYOND_REFERRALS)
        .order_by("-loaded_at", "-pk")
        .first()
    )
