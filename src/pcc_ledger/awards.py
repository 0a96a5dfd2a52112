"""The commitments a round's result makes: one for each winner not yet recorded, approved on the
day the result was declared, at the amount the public voted for, naming its round and project.

They are written as a new YAML file of their own (`allocations/<year>/<round>-awards.yaml`),
never into a file the user keeps: a file written by hand keeps its comments and layout.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import policy
from .checking import Checked
from .checks import Context, run_checks
from .checks.scheme import GRANT_DETAILS
from .datadir import COMMITMENTS_DIR, shown
from .ledger import Entry, Ledger, RoundEntry
from .model import COMMITMENT, WELSH_SUFFIX, CommitmentInput, Project
from .problems import Problem, Severity
from .rounds import awards_of
from .rules import make_problem
from .schema_errors import schema_problems
from .tally import Outcome, Tally
from .yamlsource import parse_yaml


@dataclass(frozen=True)
class Award:
    project: Project
    record: dict[str, Any]  # the commitment, as the plain data its YAML holds


@dataclass
class Plan:
    """What `round --write` would write, and what the data would then hold."""

    target: Path
    shown: str  # the target as the user sees it
    text: str
    made: list[Award]
    problems: list[Problem] = field(default_factory=list)  # of the data, awards written
    brought: list[Problem] = field(default_factory=list)  # errors only the awards bring in


def plan(checked: Checked, ledger: Ledger, entry: RoundEntry, result: Tally, today: date
         ) -> Plan | None:
    """The awards of the winners not yet recorded, as the file that would hold them, read back
    as pcc-ledger reads any file and checked with the rest of the data: None when every
    winner has its commitment. Nothing is written here."""
    winners = unrecorded_winners(ledger, entry, result)
    if not winners:
        return None
    root = checked.loaded.root
    target = awards_path(root, entry)
    taken = {e.commitment.id for e in ledger.entries} | {t.transfer.id for t in ledger.transfers}
    made = awards(entry, winners, taken)
    planned = Plan(target, shown(str(root), target, root), awards_yaml(entry, made, today), made)
    planned.brought = _without_objective(entry, winners) + _without_grant_details(ledger, entry)
    document, problems = parse_yaml(planned.text.encode("utf-8"), target, planned.shown)
    planned.brought += problems
    if document is None or planned.brought:
        return planned
    added = []
    for index, item in enumerate(document.take_data()["commitments"]):
        try:
            added.append(Entry(COMMITMENT.validate_python(item), document,
                               ("commitments", index), entry.illustrative))
        except ValidationError as error:
            planned.brought += schema_problems(error, document, CommitmentInput,
                                               ("commitments", index))
    if planned.brought:
        return planned
    after = dataclasses.replace(ledger, entries=[*ledger.entries, *added], _charges=None,
                                _computed=None, _settled=None, _round_results={})
    context = Context(today, policy.review_due_months(checked.loaded.settings))
    found = run_checks(after.entries, after, context, checked.loaded.transfers)
    planned.problems = policy.apply([*checked.loaded.problems, *found], checked.loaded.settings)
    before = Counter((p.rule, p.message) for p in checked.problems)
    planned.brought = [p for p in planned.problems if p.severity is Severity.ERROR
                       and before[(p.rule, p.message)] == 0]
    return planned


def _without_grant_details(ledger: Ledger, entry: RoundEntry) -> list[Problem]:
    """The awards of a fund with grant_details_required need them: the round's, copied."""
    pb_round = entry.round
    fund = ledger.funds.funds.get(pb_round.fund)
    missing = [f"`{key}`" for key in GRANT_DETAILS if not getattr(pb_round, key)]
    if fund is None or not fund.rules_for(pb_round.year).grant_details_required or not missing:
        return []
    return [make_problem("grant-details-missing", entry.at("id"),
                         f"round {pb_round.id} has no {', '.join(missing)}, which fund "
                         f"{pb_round.fund} requires of each grant (grant_details_required); add "
                         "them to the round, and `round --write` copies them into each award")]


def _without_objective(entry: RoundEntry, winners: list[Outcome]) -> list[Problem]:
    """An award needs an objective, the project's or its round's."""
    pb_round = entry.round
    index = {project.id: number for number, project in enumerate(pb_round.projects)}
    return [make_problem("missing-key", entry.project_at(index[won.candidate.id]),
                         f"project {won.candidate.id} has no objective, nor has its round; "
                         "add `objective:` to the round (or to the project)")
            for won in winners
            if pb_round.objective is None
            and pb_round.projects[index[won.candidate.id]].objective is None]


def unrecorded_winners(ledger: Ledger, entry: RoundEntry, result: Tally) -> list[Outcome]:
    """Winners that no commitment (approved or proposed) names yet, in the order funded."""
    found = awards_of(ledger, entry.round)
    return [won for won in result.winners
            if won.candidate.id not in found.approved and won.candidate.id not in found.proposed]


def awards(entry: RoundEntry, winners: list[Outcome], taken: set[str]) -> list[Award]:
    """Each award takes its project's id, or, where a commitment or transfer has that id
    already, the round's id and the project's (`YCYC-2018-P04` of round `R`: `R-YCYC-2018-P04`,
    then `R-YCYC-2018-P04-2`...)."""
    pb_round = entry.round
    projects = {project.id: project for project in pb_round.projects}
    made = []
    for won in winners:
        project = projects[won.candidate.id]
        record: dict[str, Any] = {
            "id": _free_id(project.id, pb_round.id, taken),
            "fund": pb_round.fund,
            "year": str(pb_round.year),
            "round": pb_round.id,
            "project": project.id,
            "recipient": {"name": project.recipient.name, "type": project.recipient.type,
                          **({"id": project.recipient.id} if project.recipient.id else {})},
            "title": project.title,
            **({"title_cy": project.title_cy} if project.title_cy else {}),
            **({"description": project.description} if project.description else {}),
            **({"description_cy": project.description_cy} if project.description_cy else {}),
            "area": project.area,
            **({"area_cy": project.area_cy} if project.area_cy else {}),
            **({"category": project.category} if project.category else {}),
            **({"objective": project.objective or pb_round.objective}
               if project.objective or pb_round.objective else {}),
            "amount": f"{project.amount:.2f}",
            "status": "approved",
            "approved": pb_round.date.isoformat(),
            "decision": pb_round.id,
            # The round's grant details, each with its Welsh (`purpose_cy`...) where it has one.
            **{name: getattr(pb_round, name) for key in GRANT_DETAILS
               for name in (key, key + WELSH_SUFFIX) if getattr(pb_round, name)},
        }
        made.append(Award(project, record))
    return made


def _free_id(project: str, round_id: str, taken: set[str]) -> str:
    """The project's id; else the round's id before it; else that with -2, -3... (the first
    no commitment or transfer has), taken from then on."""
    chosen = project if project not in taken else f"{round_id}-{project}"
    number = 2
    while chosen in taken:
        chosen = f"{round_id}-{project}-{number}"
        number += 1
    taken.add(chosen)
    return chosen


def awards_path(root: Path, entry: RoundEntry) -> Path:
    pb_round = entry.round
    folder = str(pb_round.year).replace("/", "-")
    name = re.sub(r"[^a-z0-9._-]+", "-", pb_round.id.lower()).strip("-.") or "round"
    return root / COMMITMENTS_DIR / folder / f"{name}-awards.yaml"


def awards_yaml(entry: RoundEntry, made: list[Award], written: date) -> str:
    pb_round = entry.round
    lines = [
        f"# The awards of round {pb_round.id} ({pb_round.fund} {pb_round.year}, declared "
        f"{pb_round.date.isoformat()}),",
        f"# written by `pcc-ledger round {pb_round.id} --write` on {written.isoformat()}: one "
        "commitment",
        "# for each winner, at the amount voted for. Record payments under each as they are "
        "made;",
        "# `pcc-ledger check` holds these commitments to the round's result.",
    ]
    if entry.illustrative:
        lines += ["illustrative: true"]
    lines += ["", "commitments:"]
    for number, award in enumerate(made):
        if number:
            lines.append("")
        lines.extend(_mapping_item(award.record))
    return "\n".join(lines) + "\n"


def _mapping_item(record: dict[str, Any]) -> list[str]:
    out = []
    for index, (key, value) in enumerate(record.items()):
        lead = "  - " if index == 0 else "    "
        if isinstance(value, list):
            out.append(f"{lead}{key}:")
            out.extend(f"      - {_scalar(item)}" for item in value)
        elif isinstance(value, dict):
            inner = ", ".join(f"{k}: {_scalar(v, flow=True)}" for k, v in value.items())
            out.append(f"{lead}{key}: {{{inner}}}")
        else:
            out.append(f"{lead}{key}: {_scalar(value)}")
    return out


# Text that YAML reads back as the same string when written plain: it starts with a letter or
# digit, holds no `: ` or ` #` or flow punctuation, and is not a word YAML 1.1 reads as
# something else. Anything else is written as a JSON string, which YAML reads as it is.
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .,'()/&£-]*")
_SPECIAL = re.compile(r"(?i)(y|n|yes|no|on|off|true|false|null|~)")


# Characters written as escapes inside quotes: C1 controls, and line breaks editors do not
# show, which pcc-ledger refuses in a file as written (JSON escapes the C0 controls itself).
_ESCAPED = re.compile("[\x7f-\x9f\u2028\u2029\ufeff]")


def _scalar(value: object, flow: bool = False) -> str:
    """`flow`: inside `{...}`, where a comma ends the value."""
    text = str(value)
    if (_PLAIN.fullmatch(text) and not _SPECIAL.fullmatch(text) and not text.endswith(" ")
            and ": " not in text and " #" not in text and not (flow and "," in text)):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _ESCAPED.sub(lambda found: f"\\u{ord(found.group()):04x}", quoted)
