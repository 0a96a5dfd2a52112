#!/usr/bin/env python3
"""Hold pcc-ledger's voting rules to pabutools on real elections: every approval `.pb` file in
a folder (Pabulib's library, pabulib.org, downloaded by you: its files are not shipped here).

    python benchmarks/pb_agreement.py FOLDER [--limit N] [--methods greedy,equal-shares]

For each file, pcc-ledger reads the ballots with its own reader (`pcc_ledger.pabulib`) and
works out the winners (`pcc_ledger.tally`) with the file's budget; pabutools reads the same file
(`parse_pabulib`) and runs `greedy_utilitarian_welfare` and `method_of_equal_shares` (cost
satisfaction), equal shares completed greedily, with pcc-ledger's order of preference to break
ties (more votes, then the cheaper project, then the id) and the projects nobody voted for left
out (pcc-ledger never funds them). It prints how many elections agree, any that do not, and the
time each side took. Files that are not approval ballots, or that either reader refuses, are
counted and skipped.
"""

from __future__ import annotations

import argparse
import sys
import time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from pcc_ledger.pabulib import read_ballots
from pcc_ledger.problems import Location
from pcc_ledger.tally import Candidate, tally


def ours(path: Path, method: str) -> tuple[list[str], float] | str:
    ballots, problems = read_ballots(path, path.name, Location(path.name))
    if ballots is None:
        return f"refused by pcc-ledger: {problems[0].message}"
    votes = ballots.approvals()
    candidates = [Candidate(p.id, "", p.cost, votes[p.id]) for p in ballots.projects.values()]
    budget = Decimal(ballots.meta["budget"].replace(",", "."))
    start = time.perf_counter()
    result = tally(candidates, method, budget, ballots=ballots.ballots)
    return sorted(o.candidate.id for o in result.winners), time.perf_counter() - start


def theirs(path: Path, method: str) -> tuple[list[str], float] | str:
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares
    from pabutools.tiebreaking import TieBreakingRule

    try:
        instance, profile = parse_pabulib(str(path))
    except Exception as error:  # noqa: BLE001 - a file pabutools cannot read is skipped
        return f"refused by pabutools: {type(error).__name__}: {error}"
    votes = {project: profile.approval_score(project) for project in instance}
    for project in [p for p in instance if votes[p] == 0]:
        instance.remove(project)
    ties = TieBreakingRule(lambda _i, _p, project: (-votes[project], Fraction(project.cost),
                                                    project.name))
    start = time.perf_counter()
    if method == "greedy":
        chosen = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat,
                                            tie_breaking=ties)
    else:
        shares = method_of_equal_shares(instance, profile, sat_class=Cost_Sat,
                                        tie_breaking=ties)
        chosen = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat,
                                            tie_breaking=ties, initial_budget_allocation=shares)
    return sorted(p.name for p in chosen), time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="at most this many files")
    parser.add_argument("--methods", default="greedy,equal-shares")
    args = parser.parse_args()
    files = sorted(path for path in args.folder.glob("*.pb")
                   if "vote_type;approval" in path.read_text("utf-8", "replace")[:4000])
    if args.limit:
        files = files[:args.limit]
    for method in args.methods.split(","):
        agree, skipped, ours_seconds, theirs_seconds = 0, 0, 0.0, 0.0
        for path in files:
            mine, reference = ours(path, method), theirs(path, method)
            if isinstance(mine, str) or isinstance(reference, str):
                skipped += 1
                print(f"  skipped {path.name}: {mine if isinstance(mine, str) else reference}",
                      file=sys.stderr)
                continue
            ours_seconds += mine[1]
            theirs_seconds += reference[1]
            if mine[0] == reference[0]:
                agree += 1
            else:
                print(f"  DISAGREE {method} {path.name}: pcc-ledger {mine[0]}, pabutools "
                      f"{reference[0]}")
        compared = len(files) - skipped
        print(f"{method}: {agree} of {compared} elections agree ({skipped} skipped); "
              f"pcc-ledger {ours_seconds:.1f} s, pabutools {theirs_seconds:.1f} s")


if __name__ == "__main__":
    main()
