"""The commitments a round's result makes: one for each winner not yet recorded, approved on the
day the result was declared, at the amount the public voted for, naming its round and project.

They are written as a new YAML file of their own (`allocations/<year>/<round>-awards.yaml`),
never into a file the user keeps: a file written by hand keeps its comments and layout.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .datadir import COMMITMENTS_DIR
from .ledger import Ledger, RoundEntry
from .model import Project
from .rounds import awards_of
from .tally import Outcome, Tally


@dataclass(frozen=True)
class Award:
    project: Project
    record: dict[str, Any]  # the commitment, as the plain data its YAML holds


def unrecorded_winners(ledger: Ledger, entry: RoundEntry, result: Tally) -> list[Outcome]:
    """Winners that no commitment (approved or proposed) names yet, in the order funded."""
    found = awards_of(ledger, entry.round)
    return [won for won in result.winners
            if won.candidate.id not in found.approved and won.candidate.id not in found.proposed]


def awards(entry: RoundEntry, winners: list[Outcome]) -> list[Award]:
    pb_round = entry.round
    projects = {project.id: project for project in pb_round.projects}
    made = []
    for won in winners:
        project = projects[won.candidate.id]
        record: dict[str, Any] = {
            "id": project.id,
            "fund": pb_round.fund,
            "year": str(pb_round.year),
            "round": pb_round.id,
            "project": project.id,
            "recipient": {"name": project.recipient.name, "type": project.recipient.type,
                          **({"id": project.recipient.id} if project.recipient.id else {})},
            "title": project.title,
            **({"description": project.description} if project.description else {}),
            "area": project.area,
            **({"category": project.category} if project.category else {}),
            "objective": project.objective or pb_round.objective,
            "amount": f"{project.amount:.2f}",
            "status": "approved",
            "approved": pb_round.date.isoformat(),
            "decision": pb_round.id,
        }
        made.append(Award(project, record))
    return made


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
        if isinstance(value, dict):
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


def _scalar(value: object, flow: bool = False) -> str:
    """`flow`: inside `{...}`, where a comma ends the value."""
    text = str(value)
    if (_PLAIN.fullmatch(text) and not _SPECIAL.fullmatch(text) and not text.endswith(" ")
            and ": " not in text and " #" not in text and not (flow and "," in text)):
        return text
    return json.dumps(text, ensure_ascii=False)
