"""The plain layout is tabulate's "simple" format, written out directly for speed: tabulate is
the reference, and the two must agree on every table the fast layout takes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from tabulate import SEPARATING_LINE, tabulate

from pcc_ledger.render.plain import simple_table

# Text as reports hold it: names with accents, Welsh and East Asian (two columns wide)
# letters, combining accents, emoji, spaces at either end, pound signs and figures.
_PRINTABLE = list("ab Zz09£,.-/()'") + ["ŵ", "ô", "é", "日", "本", "\u0301", "😀"]
_CELL = st.one_of(
    st.text(alphabet=st.sampled_from(_PRINTABLE), max_size=12),
    st.text(alphabet=st.sampled_from([*_PRINTABLE, "\u00a0", "\t", "\n", "\x1b"]), max_size=4))


def _reference(headers: list[str], rows: list[list[str] | str], right: list[bool]) -> str:
    return str(tabulate(rows, headers=headers, tablefmt="simple",
                        colalign=["right" if r else "left" for r in right],
                        disable_numparse=True))


@st.composite
def _tables(draw: st.DrawFn) -> tuple[list[str], list[list[str] | str], list[bool]]:
    columns = draw(st.integers(1, 5))
    headers = draw(st.lists(_CELL.filter(lambda h: h.strip() == h and h != ""),
                            min_size=columns, max_size=columns))
    right = draw(st.lists(st.booleans(), min_size=columns, max_size=columns))
    rows: list[list[str] | str] = draw(st.lists(
        st.one_of(st.lists(_CELL, min_size=columns, max_size=columns),
                  st.just(SEPARATING_LINE)), max_size=8))
    return headers, rows, right


@settings(max_examples=500, deadline=None)
@given(_tables())
def test_agrees_with_tabulate_whenever_it_lays_a_table_out(
        table: tuple[list[str], list[list[str] | str], list[bool]]) -> None:
    headers, rows, right = table
    laid_out = simple_table(headers, rows, right)
    if laid_out is not None:
        assert laid_out == _reference(headers, rows, right)


def test_lays_out_what_reports_hold_and_leaves_the_rest_to_tabulate() -> None:
    headers = ["Fund", "Year", "Committed"]
    rows: list[list[str] | str] = [
        ["Ynys Môn safety", "2017/18", "£1,035.50"],
        ["日本 fund", "2018/19", "£12.00"],
        SEPARATING_LINE,
        ["Total", "", "£1,047.50"],
    ]
    right = [False, False, True]
    assert simple_table(headers, rows, right) == (
        "Fund             Year       Committed\n"
        "---------------  -------  -----------\n"
        "Ynys Môn safety  2017/18    £1,035.50\n"
        "日本 fund        2018/19       £12.00\n"
        "---------------  -------  -----------\n"
        "Total                       £1,047.50")
    assert simple_table(headers, rows, right) == _reference(headers, rows, right)
    # A line break or a tab in a cell, or no rows at all: tabulate's own handling.
    assert simple_table(headers, [["a\nb", "x", "1"]], right) is None
    assert simple_table(headers, [["a\tb", "x", "1"]], right) is None
    assert simple_table(headers, [], right) is None
    assert simple_table(headers, [SEPARATING_LINE], right) is None
