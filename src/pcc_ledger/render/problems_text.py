"""`check` output as text: one `path:line:col: severity: message [rule]` line per problem,
then the count line."""

from __future__ import annotations

from ..problems import Problem, count_line


def render_problems_text(problems: list[Problem], files: int) -> str:
    lines = [str(problem) for problem in sorted(problems)]
    lines.append(count_line(problems, files))
    return "\n".join(lines)
