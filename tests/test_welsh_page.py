"""The Welsh page of `pcc-ledger publish` (cy/index.html) beside the English one (index.html):
each links the other, `lang` set right; every fixed text from the message catalogue
(src/pcc_ledger/locale/cy/LC_MESSAGES/pcc_ledger.po, complete, its .mo current); money and dates
in Welsh from CLDR (Babel); data texts from their `_cy` twins, or the English with a note, never
blank; escaped; no personal data."""

from __future__ import annotations

import gettext
import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from typer.testing import CliRunner

from pcc_ledger.export import language, page, threesixty

from .conftest import REPO, invoke, write
from .test_page import _Page, _texts

CATALOGUE = REPO / "src" / "pcc_ledger" / "locale" / "cy" / "LC_MESSAGES"
MARKED = [REPO / "src" / "pcc_ledger" / "export" / name for name in ("page.py", "language.py")]
HOSTILE = '<script>alert("cy")</script> & <b onmouseover=alert(1)>'


def _publish(cli: CliRunner, root: Path, site: Path) -> tuple[str, str]:
    result = invoke(cli, "publish", str(site), "--data", str(root))
    assert result.exit_code == 0, result.output
    return ((site / "index.html").read_text("utf-8"),
            (site / "cy" / "index.html").read_text("utf-8"))


def _parsed(html: str) -> _Page:
    parsed = _Page()
    parsed.feed(html)
    return parsed


@pytest.fixture
def shipped(cli: CliRunner, tmp_path: Path) -> tuple[str, str]:
    root = tmp_path / "data"
    shutil.copytree(REPO / "data", root)
    return _publish(cli, root, tmp_path / "site")


def test_both_pages_are_written_each_in_its_language_linking_the_other(
        shipped: tuple[str, str]) -> None:
    english, welsh = shipped
    assert english.startswith('<!DOCTYPE html>\n<html lang="en-GB">')
    assert welsh.startswith('<!DOCTYPE html>\n<html lang="cy">')
    # The other language first, at the top; then the open data, one folder up from cy/.
    assert [href for kind, href in _parsed(english).events if kind == "a"][:3] == [
        "cy/index.html", "360giving.json", "360giving.csv"]
    assert [href for kind, href in _parsed(welsh).events if kind == "a"][:5] == [
        "../index.html", "../360giving.json", "../360giving.csv", "../grants-register.csv",
        "../decisions.csv"]
    assert '<a href="cy/index.html" hreflang="cy" lang="cy">Cymraeg</a>' in english
    assert '<a href="../index.html" hreflang="en-GB" lang="en-GB">English</a>' in welsh
    assert '<link rel="alternate" hreflang="cy" href="cy/index.html">' in english
    assert '<link rel="alternate" hreflang="en-GB" href="../index.html">' in welsh
    for html in shipped:  # self-contained: nothing loaded from anywhere
        assert "<script" not in html and "<img" not in html and "http" not in html.lower()


def test_the_fixed_texts_are_welsh_on_the_welsh_page_only(shipped: tuple[str, str]) -> None:
    english, welsh = shipped
    en, cy = _parsed(english), _parsed(welsh)
    assert [text for kind, text in cy.events if kind == "h2"][-2:] == [
        "Cofrestr grantiau", "Penderfyniadau"]
    assert [text for kind, text in en.events if kind == "h2"][-2:] == [
        "Grants register", "Decisions"]
    assert [cell.text for cell in cy.tables[0].head][:2] == ["Cronfa", "Dyraniad"]
    assert [cell.text for cell in en.tables[0].head][:2] == ["Fund", "Allocation"]
    assert cy.tables[0].caption.startswith("Cronfeydd yn ")
    assert en.tables[0].caption.startswith("Funds in ")
    assert "Prosiectau a rhaglenni gwaith a ariennir gan" in welsh
    assert "Wedi&#x27;i ymrwymo" in welsh and "Committed" not in welsh
    # The round of 2018/19: its day in Welsh from CLDR, its budget as money.
    assert "a chyhoeddwyd y canlyniad ar 1 Gorffennaf 2018" in welsh
    assert "the result was declared on 1 July 2018" in english
    assert "Gorffennaf" not in english


def test_welsh_money_and_dates_come_from_cldr_exactly() -> None:
    cy, en = language.welsh(), language.english()
    assert cy.money(Decimal("1166000.00")) == en.money(Decimal("1166000.00")) == "£1,166,000.00"
    assert cy.money(Decimal("0.1") + Decimal("0.2")) == "£0.30"  # Decimal in: exact
    assert cy.money(Decimal("123456789012345.67")) == "£123,456,789,012,345.67"
    assert cy.money(Decimal("-15924")) == "-£15,924.00"
    from datetime import date
    assert cy.day(date(2017, 4, 12)) == "12 Ebrill 2017"
    assert cy.month(date(2017, 4, 1)) == "Ebrill 2017"
    assert en.day(date(2017, 4, 12)) == "12 April 2017"


def _own_data(root: Path) -> None:
    write(root / "funds.yaml", """
        organisation:
          name: Police and Crime Commissioner for North Wales
          name_cy: Comisiynydd Heddlu a Throseddu Gogledd Cymru
          publisher_prefix: 360G-TEST
        objectives:
          o: {title: Prevent crime, title_cy: Atal trosedd}
          p: Plain objective
        funds:
          f:
            name: Community Safety Fund
            name_cy: Cronfa Diogelwch Cymunedol
            workstream: community-safety
            rules: {grant_details_required: true}
            allocations:
              2017/18: {amount: 1000, basis: t}
          g:
            name: English Only Fund
            workstream: community-safety
            allocations:
              2017/18: {amount: 500, basis: t}
        """)
    write(root / "allocations" / "a.yaml", f"""
        commitments:
          - id: E-1
            fund: f
            year: 2017/18
            amount: 150.25
            recipient: {{name: PC Jane Smith 1234, type: police-officer, id: GB-PERSON-1234}}
            title: Hostile in Welsh
            title_cy: '{HOSTILE.replace("'", "''")}'
            objective: o
            status: approved
            approved: 2017-05-01
            decision: D-1
            purpose: Untranslated purpose
            reasons: Reasons in English
            reasons_cy: Rhesymau yn Gymraeg
            conditions: [First condition]
          - id: E-2
            fund: g
            year: 2017/18
            amount: 20
            recipient: {{name: Example Group, type: community-group}}
            title: Untranslated title
            objective: p
            status: approved
            approved: 2017-06-01
            decision: D-2
        """)


def test_a_missing_welsh_text_shows_the_english_with_a_note_and_all_is_escaped(
        cli: CliRunner, tmp_path: Path) -> None:
    _own_data(tmp_path / "data")
    english, welsh = _publish(cli, tmp_path / "data", tmp_path / "site")
    cy = _parsed(welsh)
    # The top of the page says some texts are in English; each one is marked.
    assert "fe&#x27;u dangosir yn Saesneg" in welsh
    assert "Comisiynydd Heddlu a Throseddu Gogledd Cymru" in welsh
    note = ' <small class="en-only">(Saesneg yn unig)</small>'
    assert f'<span lang="en-GB">Untranslated title</span>{note}' in welsh
    assert f'<span lang="en-GB">English Only Fund</span>{note}' in welsh
    assert f'<span lang="en-GB">Untranslated purpose</span>{note}' in welsh
    assert f'<span lang="en-GB">Plain objective</span>{note}' in welsh
    assert "Cronfa Diogelwch Cymunedol" in welsh and "Atal trosedd" in welsh
    assert "Rhesymau yn Gymraeg" in welsh and "Reasons in English" not in welsh
    # The hostile Welsh title is shown, never run; the English page keeps its English texts.
    assert "<script" not in welsh and "<b " not in welsh
    assert HOSTILE in " ".join(cell.text for t in cy.tables for row in t.body for cell in row)
    assert "Hostile in Welsh" in english and HOSTILE not in english
    assert "Saesneg yn unig" not in english and "Atal trosedd" not in english
    [month] = [t for t in cy.tables
               if t.caption == "Grantiau y penderfynwyd arnynt ym mis Mai 2017"]
    assert _texts(month.body)[0][1:5] == ["2017-05-01", "Derbynnydd Unigol",
                                          "Cronfa Diogelwch Cymunedol", "£150.25"]
    assert _texts(month.foot) == [["1 grant", "", "", "", "£150.25", "", "", ""]]
    # No personal data on either page.
    for html in (english, welsh):
        assert "Jane Smith" not in html and "GB-PERSON-1234" not in html
    # Never a blank cell where the English had a text.
    for table in cy.tables:
        for row in table.body:
            assert row[0].text.strip()


def test_the_catalogue_translates_every_marked_text_and_its_mo_is_current() -> None:
    with open(CATALOGUE / "pcc_ledger.po", "rb") as source:
        catalogue = read_po(source, locale="cy")
    assert not catalogue.fuzzy
    assert "awaiting review by a Welsh speaker" in catalogue.last_translator
    translated = {}
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings) and not message.fuzzy, message.id
        assert len(strings) == (catalogue.num_plurals if message.pluralizable else 1)
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        translated[key] = strings
    keywords = {**DEFAULT_KEYWORDS, "html": None}
    marked = {found[1] if isinstance(found[1], str) else found[1][0]
              for path in MARKED for found in extract_from_file("python", str(path), keywords)}
    assert "Grants register" in marked and "English only" in marked
    assert marked <= set(translated), sorted(marked - set(translated))
    assert not set(translated) - marked, "texts no code uses: run pybabel update"
    # The .mo shipped is the .po compiled (pybabel compile, README "The Welsh page"): the same
    # messages and translations (not the same bytes: each Babel writes its own version into
    # the header).
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    with open(CATALOGUE / "pcc_ledger.mo", "rb") as shipped:
        assert _messages(gettext.GNUTranslations(shipped)) == _messages(
            gettext.GNUTranslations(compiled))
    assert page.INDIVIDUAL == threesixty.INDIVIDUAL_NAME


def _messages(translations: gettext.GNUTranslations) -> dict[object, str]:
    """A compiled catalogue's messages, without its header (the empty message id)."""
    catalog: dict[object, str] = translations._catalog  # type: ignore[attr-defined]
    return {key: text for key, text in catalog.items() if key != ""}


class _Recording(gettext.GNUTranslations):
    """The Welsh catalogue, noting each text the page asks for that it does not hold."""

    missing: list[str]

    def gettext(self, message: str) -> str:
        if message not in self._catalog:  # type: ignore[attr-defined]
            self.missing.append(message)
        return super().gettext(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        if (msgid1, 0) not in self._catalog:  # type: ignore[attr-defined]
            self.missing.append(msgid1)
        return super().ngettext(msgid1, msgid2, n)


def test_every_text_the_welsh_page_asks_for_is_in_the_catalogue(
        cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Also the texts the extraction cannot see (a msgid in a variable)."""
    missing: list[str] = []

    def recording() -> language.Language:
        with open(CATALOGUE / "pcc_ledger.mo", "rb") as compiled:
            translations = _Recording(compiled)
        translations.missing = missing
        return language.Language("cy", "cy", translations, "../")

    monkeypatch.setattr(page, "welsh", recording)
    root = tmp_path / "data"
    shutil.copytree(REPO / "data", root)
    _publish(cli, root, tmp_path / "site")
    _own_data(tmp_path / "own")
    _publish(cli, tmp_path / "own", tmp_path / "own-site")
    assert missing == []


def test_areas_are_in_welsh_on_the_welsh_page(shipped: tuple[str, str]) -> None:
    english, welsh = shipped
    assert '<td data-label="Area">Isle of Anglesey</td>' in english
    assert '<td data-label="Ardal">Ynys Môn</td>' in welsh
    assert "Isle of Anglesey" not in welsh
