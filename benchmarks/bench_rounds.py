#!/usr/bin/env python3
"""Time a participatory-budgeting round: `pcc-ledger round` by each method, and `check`, on a
generated round with its voters' ballots, beside pabutools' equal shares on the same ballots.

    python benchmarks/bench_rounds.py [--sizes 50x10000,150x100000] [--repeat 3]

A size is PROJECTSxVOTERS. Each voter approves 1 to 10 projects, some projects far more popular
than others (as in real votes); the budget is a quarter of what all the projects cost. The data
(funds.yaml, the round and its .pb ballots) goes into benchmarks/out/, which git ignores. Each
command runs as a fresh `python -m pcc_ledger --no-cache ...` process, its output to a file;
the table gives the median wall time and peak resident memory. pabutools (if installed) runs in
a process of its own: reading the .pb file, then `method_of_equal_shares` with cost
satisfaction, completed greedily, as pcc-ledger does; its winners are checked to be the same.

Standard library (plus what bench_check.py uses, and pabutools if present). Unix only.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bench_check import environment, measure, run_process  # benchmarks/ is on sys.path

OUT = Path(__file__).resolve().parent / "out"

PABUTOOLS = r"""
import sys
from pabutools.election import parse_pabulib, Cost_Sat
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares
from pabutools.tiebreaking import TieBreakingRule
instance, profile = parse_pabulib(sys.argv[1])
votes = {p: profile.approval_score(p) for p in instance}
ties = TieBreakingRule(lambda i, pr, p: (-votes[p], p.cost, p.name))
shares = method_of_equal_shares(instance, profile, sat_class=Cost_Sat, tie_breaking=ties)
done = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat, tie_breaking=ties,
                                  initial_budget_allocation=shares)
print(",".join(sorted(p.name for p in done)))
"""


def write_round(folder: Path, method: str, projects: int, voters: int, seed: int = 1) -> None:
    """A data directory with one round by `method`: the same projects and ballots whatever the
    method (the same seed)."""
    rng = random.Random(seed)
    ids = [f"P{n:03d}" for n in range(1, projects + 1)]
    popularity = [rng.random() ** 2 for _ in ids]
    ballots = [sorted(set(rng.choices(ids, weights=popularity, k=rng.randint(1, 10))))
               for _ in range(voters)]
    votes = Counter(project for ballot in ballots for project in ballot)
    cost = {project: rng.randint(5, 500) * 100 for project in ids}
    budget = sum(cost.values()) // 4
    areas = ["Isle of Anglesey", "Gwynedd", "Conwy", "Denbighshire", "Flintshire", "Wrexham"]
    (folder / "allocations").mkdir(parents=True, exist_ok=True)
    (folder / "funds.yaml").write_text(f"""\
organisation: {{name: Benchmark Office}}
objectives: {{partnerships: Build effective partnerships}}
checks: {{round-winner-not-awarded: off}}
funds:
  ycyc:
    name: Your Community, Your Choice
    workstream: community-focused
    allocations:
      2018/19: {{amount: {budget}, basis: generated}}
""", encoding="utf-8")
    rows = [f"""\
rounds:
  - id: R
    fund: ycyc
    year: 2018/19
    date: 2018-07-01
    objective: partnerships
    method: {method}
    ballots: ballots.pb
    projects:"""]
    rows += [f"      - {{id: {project}, title: Project {project}, recipient: {{name: Group "
             f"{project}, type: community-group}}, area: {areas[n % 6]}, amount: "
             f"{cost[project]}, votes: {votes[project]}}}" for n, project in enumerate(ids)]
    (folder / "allocations" / "round.yaml").write_text("\n".join(rows) + "\n", "utf-8")
    (folder / "allocations" / "ballots.pb").write_text("\n".join([
        "META", "key;value", "description;Generated", f"num_projects;{projects}",
        f"num_votes;{voters}", f"budget;{budget}", "vote_type;approval", "PROJECTS",
        "project_id;cost", *(f"{project};{cost[project]}" for project in ids), "VOTES",
        "voter_id;vote", *(f"{n};{','.join(ballot)}" for n, ballot in enumerate(ballots, 1)),
    ]) + "\n", encoding="utf-8")


def _winners(folder: Path) -> str:
    """The equal-shares winners as pcc-ledger reports them (run again, untimed, whole)."""
    shown = subprocess.run([sys.executable, "-m", "pcc_ledger", "round", "R",
                            "--data", str(folder), "--format", "json"], capture_output=True,
                           text=True, check=True).stdout
    rows = json.loads(shown)["sections"]["round"]["rows"]
    return ",".join(sorted(row["project"] for row in rows if row["funded"] == "yes"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50x10000,150x100000",
                        help="PROJECTSxVOTERS, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("\n".join(environment()))
    print("\n| projects × voters | command | median wall (s) | peak RSS (MiB) |")
    print("|---|---|---:|---:|")
    for size in args.sizes.split(","):
        projects, voters = (int(part) for part in size.split("x"))
        folders = {}
        for method in ("greedy", "equal-shares"):
            folders[method] = OUT / f"round-{projects}x{voters}-{method}"
            if not (folders[method] / "funds.yaml").exists():
                write_round(folders[method], method, projects, voters)
        commands = [("check", "equal-shares", ["check"]),
                    ("round R (greedy)", "greedy", ["round", "R"]),
                    ("round R (equal shares)", "equal-shares", ["round", "R"])]
        for label, method, arguments in commands:
            runs = [measure(["--no-cache", *arguments, "--data", str(folders[method])])
                    for _ in range(args.repeat)]
            if any(run.returncode != 0 for run in runs):
                raise SystemExit(f"bench_rounds.py: {label} failed:\n{runs[0].output[-2000:]}")
            print(f"| {projects} × {voters:,} | `pcc-ledger {label}` | "
                  f"{statistics.median(r.seconds for r in runs):.2f} | "
                  f"{statistics.median(r.peak_mib for r in runs):,.0f} |")
        try:
            import pabutools  # noqa: F401
        except ImportError:
            continue
        ballots = folders["equal-shares"] / "allocations" / "ballots.pb"
        run = run_process([sys.executable, "-c", PABUTOOLS, str(ballots)])
        winners = _winners(folders["equal-shares"])
        same = "the same winners" if run.last_line == winners else "DIFFERENT WINNERS"
        print(f"| {projects} × {voters:,} | pabutools' equal shares ({same}) | "
              f"{run.seconds:.2f} | {run.peak_mib:,.0f} |")


if __name__ == "__main__":
    main()
