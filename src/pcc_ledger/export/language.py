"""The languages of the transparency page: English (`index.html`) and Welsh (`cy/index.html`).

Every fixed text of the page is a msgid of the message catalogue
locale/cy/LC_MESSAGES/pcc_ledger.po (compiled to the .mo beside it, shipped with the package);
the English page uses the msgids as they are. A `Language` is made per page and passed to every
part of it, so both pages are made in one run with no global state.

Money and dates in Welsh come from Babel (CLDR): `£1,166,000.00` (a Decimal in, exact), `12
Ebrill 2017`. The English page keeps its own formats. Babel is imported here only, and this
module only by `publish`: `check` never loads it.

Data texts (a fund's name, a commitment's title, ...) on the Welsh page are their `_cy` twin
(`name_cy`, `title_cy`, ...) when the record has one; otherwise the English text, marked
"(Saesneg yn unig)" and counted, so that the page says at its top that some texts are in English
only. Never blank.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html import escape
from pathlib import Path

from ..scalars import format_money

DOMAIN = "pcc_ledger"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


@dataclass
class Language:
    code: str  # "en" or "cy": the folder of the page ("" for English, at the top)
    html_lang: str  # the page's lang attribute
    translations: gettext.NullTranslations
    root: str  # from the page to the folder's top: "" or "../"
    english_only: list[str] = field(default_factory=list)  # data texts shown in English

    @property
    def welsh(self) -> bool:
        return self.code == "cy"

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def html(self, message: str, **parts: str) -> str:
        """The translated text escaped, then `parts` (HTML already) put in its {fields}."""
        return escape(self.gettext(message)).format(**parts)

    def money(self, amount: Decimal) -> str:
        if not self.welsh:
            return format_money(amount)
        from babel.numbers import format_currency

        return format_currency(amount, "GBP", locale="cy")

    def day(self, day: date) -> str:
        """`12 April 2017`, `12 Ebrill 2017`."""
        if not self.welsh:
            return f"{day.day} {day:%B %Y}"
        from babel.dates import format_date

        return format_date(day, format="long", locale="cy")

    def month(self, day: date) -> str:
        """`April 2017`, `Ebrill 2017`."""
        if not self.welsh:
            return f"{day:%B %Y}"
        from babel.dates import format_date

        return format_date(day, format="LLLL y", locale="cy")

    def number(self, value: int) -> str:
        return f"{value:,}"

    def text(self, record: object, name: str) -> str:
        """The data text `name` of `record` as HTML (escaped): on the Welsh page its `_cy` twin,
        or the English one with a note. Empty when the record has no English text either."""
        english = getattr(record, name, None) or ""
        return self.twin(english, getattr(record, f"{name}_cy", None) if self.welsh else None)

    def twin(self, english: str, welsh: str | None) -> str:
        """`welsh` if there is one (on the Welsh page); else `english`, marked on the Welsh
        page as English only."""
        if not self.welsh:
            return escape(english)
        if welsh:
            return escape(welsh)
        if not english:
            return ""
        self.english_only.append(english)
        note = escape(self.gettext("English only"))
        return (f'<span lang="en-GB">{escape(english)}</span> '
                f'<small class="en-only">({note})</small>')


def english() -> Language:
    return Language("en", "en-GB", gettext.NullTranslations(), "")


def welsh() -> Language:
    with open(LOCALE_DIR / "cy" / "LC_MESSAGES" / f"{DOMAIN}.mo", "rb") as compiled:
        return Language("cy", "cy", gettext.GNUTranslations(compiled), "../")
