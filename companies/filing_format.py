"""The filing format (docs/DESIGN.md §5): one definition that the validator, the CSV template,
the data dictionary page and the API all read.

Enumerations are stored as small integer codes in the item table; the spelling in
files follows the DSA Transparency Database's style (upper snake case).
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCE_TYPES = ("REMOVAL_ORDER", "REFERRAL", "TRUSTED_FLAGGER", "USER_NOTICE", "OWN_INITIATIVE")
CATEGORIES = ("TERRORIST_CONTENT", "VIOLENT_EXTREMISM", "ILLEGAL_ORGANISATION", "INCITEMENT_TO_VIOLENCE", "OTHER")
CONTENT_TYPES = ("TEXT", "IMAGE", "VIDEO", "AUDIO", "LIVESTREAM", "LINK", "ACCOUNT", "OTHER")
ACTIONS = ("REMOVED", "DISABLED", "ACCOUNT_SUSPENDED", "ACCOUNT_TERMINATED", "RESTRICTED", "NO_ACTION")
DECISION_GROUNDS = ("ILLEGAL_CONTENT", "TERMS_OF_SERVICE")
AUTOMATED_DECISIONS = ("FULLY", "PARTIALLY", "NOT_AUTOMATED")
APPEAL_OUTCOMES = ("UPHELD", "REVERSED")


# What a person reads for each code: pages, totals tables and PDFs show these; files and the API keep the codes.
LABELS: dict[str, str] = {
    "REMOVAL_ORDER": "Removal order", "REFERRAL": "Referral", "TRUSTED_FLAGGER": "Trusted flagger's notice",
    "USER_NOTICE": "User's notice", "OWN_INITIATIVE": "Found by the platform itself",
    "TERRORIST_CONTENT": "Terrorist content", "VIOLENT_EXTREMISM": "Violent extremism",
    "ILLEGAL_ORGANISATION": "Illegal organisation", "INCITEMENT_TO_VIOLENCE": "Incitement to violence",
    "OTHER": "Other",
    "TEXT": "Text", "IMAGE": "Image", "VIDEO": "Video", "AUDIO": "Audio", "LIVESTREAM": "Livestream",
    "LINK": "Link", "ACCOUNT": "Account",
    "REMOVED": "Removed", "DISABLED": "Access disabled", "ACCOUNT_SUSPENDED": "Account suspended",
    "ACCOUNT_TERMINATED": "Account closed", "RESTRICTED": "Restricted", "NO_ACTION": "No action",
    "ILLEGAL_CONTENT": "Illegal content", "TERMS_OF_SERVICE": "Against the terms of service",
    "FULLY": "Fully automated", "PARTIALLY": "Partly automated", "NOT_AUTOMATED": "Not automated",
    "UPHELD": "Decision upheld", "REVERSED": "Decision reversed",
}


def label(code: str) -> str:
    """What a person calls a code of the format ("Removal order" for REMOVAL_ORDER); an unknown code as it is."""
    return LABELS.get(code, code)


def codes(values: tuple[str, ...]) -> dict[str, int]:
    """Spelling → stored code (1-based, in declaration order; never renumber)."""
    return {value: index for index, value in enumerate(values, start=1)}


def labels(values: tuple[str, ...]) -> dict[int, str]:
    return {index: value for index, value in enumerate(values, start=1)}


# Limits on size (docs/DESIGN.md §5). Each field has its own maximum (``Field.max_length``): external_id 500
# characters, the references 200, the digest 64, and every other field MAX_VALUE, far above any valid spelling,
# so a runaway value is refused with its own message before any other rule looks at it. A row (a CSV record
# with its line end, or a JSON line) is at most MAX_ROW characters: readers never hold more of one row than that,
# whatever the file holds, so a file of one 200 MB line costs no more memory than a file of short rows.
MAX_VALUE = 2_000
MAX_ROW = 65_536


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # "id", "enum", "text", "timestamp", "date", "bool", "sha256"
    required: str  # "yes", "no", or a condition in words
    description: str
    choices: tuple[str, ...] = ()
    example: str = ""
    max_length: int = MAX_VALUE


FIELDS: tuple[Field, ...] = (
    Field("external_id", "id", "yes",
          "Your own identifier of the notice or order. Letters, digits, '_' and '-' only; unique within the "
          "company and period. An amendment repeats it.", example="ord-2026-000123", max_length=500),
    Field("source_type", "enum", "yes", "Where the notice came from.", SOURCE_TYPES, "REMOVAL_ORDER"),
    Field("order_reference", "text", "for REMOVAL_ORDER",
          "The reference printed on the removal order.", example="RO/2026/4411", max_length=200),
    Field("category", "enum", "yes", "What the content was reported as.", CATEGORIES, "TERRORIST_CONTENT"),
    Field("content_type", "enum", "yes", "The form of the content.", CONTENT_TYPES, "VIDEO"),
    Field("received_at", "timestamp", "yes",
          "When the notice or order arrived. ISO 8601 with a UTC offset; inside the reporting period.",
          example="2026-07-01T09:15:00+01:00"),
    Field("action", "enum", "yes", "What you did.", ACTIONS, "REMOVED"),
    Field("actioned_at", "timestamp", "unless action is NO_ACTION",
          "When the action took effect. ISO 8601 with a UTC offset; not before received_at.",
          example="2026-07-01T09:52:00+01:00"),
    Field("decision_ground", "enum", "unless action is NO_ACTION",
          "Whether you acted because the content is illegal or against your terms.", DECISION_GROUNDS,
          "ILLEGAL_CONTENT"),
    Field("automated_detection", "bool", "yes", "Whether automated tools found the content.", ("true", "false"),
          "true"),
    Field("automated_decision", "enum", "yes", "How far the decision was automated.", AUTOMATED_DECISIONS,
          "PARTIALLY"),
    Field("content_sha256", "sha256", "no",
          "SHA-256 of the removed content as 64 hexadecimal characters. Never the content itself.",
          example="9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", max_length=64),
    Field("preserved", "bool", "yes", "Whether the removed content is preserved as evidence.", ("true", "false"),
          "true"),
    Field("preservation_ref", "text", "no", "Your reference for the preserved copy.", example="EV-88231",
          max_length=200),
    Field("preserved_until", "date", "when preserved",
          "Last day the evidence is kept: at least six months after actioned_at (TCO Art 6).",
          example="2027-01-31"),
    Field("law_enforcement_notified", "bool", "yes",
          "Whether you told law enforcement of an imminent threat to life (TCO Art 14(5)).", ("true", "false"),
          "false"),
    Field("appeal_received_at", "timestamp", "no", "When the uploader's complaint or appeal arrived.", example=""),
    Field("appeal_decided_at", "timestamp", "no",
          "When the complaint was decided; not before appeal_received_at.", example=""),
    Field("appeal_outcome", "enum", "when appeal_decided_at is given",
          "UPHELD keeps your decision; REVERSED undoes it.", APPEAL_OUTCOMES, ""),
    Field("reinstated", "bool", "no", "Whether the content was restored after the complaint.", ("true", "false"),
          ""),
)

FIELD_NAMES: tuple[str, ...] = tuple(field.name for field in FIELDS)
MAX_LENGTHS: tuple[int, ...] = tuple(field.max_length for field in FIELDS)
FIELDS_BY_NAME = {field.name: field for field in FIELDS}

# Columns of the item table that the loader writes, in COPY order. The coded columns come
# last, together, so the validator can emit them as one cached string per combination.
ITEM_COLUMNS: tuple[str, ...] = (
    "period_id", "filing_id", "company_id", "row_no", "external_id", "received_at", "actioned_at",
    "order_reference", "content_sha256", "preservation_ref", "preserved_until", "appeal_received_at",
    "appeal_decided_at", "source_type", "category", "content_type", "action", "decision_ground",
    "automated_detection", "automated_decision", "preserved", "law_enforcement_notified", "appeal_outcome",
    "reinstated",
)


def template_csv() -> str:
    """A header row and one example row, for the downloadable template."""
    example = [field.example for field in FIELDS]
    return ",".join(FIELD_NAMES) + "\r\n" + ",".join(example) + "\r\n"


# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: str) -> str:
    """Make a cell safe to open in a spreadsheet: a leading formula character gets a quote in front."""
    if value and value[0] in FORMULA_PREFIXES:
        return "'" + value
    return value
