"""The stylesheet of every page of report tables: the public page of `publish` and
`--format html`. Its opening comment is the contract the markup keeps."""

STYLE = """
/* Report tables: the markup this stylesheet expects (any page of tables may use it).
   - <table> with a <caption>; <thead> of <th scope="col">; rows in <tbody>; total rows in
     <tfoot> (shown bold). A cell that names its row is <th scope="row">.
   - Figures: class "money" (amounts) or "num" (other numbers) on their <th> and <td>: right
     aligned, tabular figures, never broken across lines.
   - Every <td> carries data-label="<its column's title>", escaped as any attribute value.
     Narrower than 56rem, each row becomes a card: the <th scope="row"> is its heading, each
     <td> shows its data-label before its value, an empty <td> is hidden, <thead> is kept
     for screen readers only. A row with no <th scope="row"> is a card without a heading.
   - Optional: wrap a table in <div class="scroll" role="region" aria-label="..."
     tabindex="0">, so a wide table scrolls sideways in its own box on a mid-sized screen.
   - class "note" on a <p>: a highlighted notice.
   - class "en-only" on a <small>: the marker of an English text on a Welsh page; class
     "languages" on a <p>: the link to the page in the other language. */
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; line-height: 1.5;
       margin: 0 auto; max-width: 70rem; padding: 1rem; color: #1b1b1b; background: #fff; }
h1 { font-size: 1.6rem; line-height: 1.25; }
h2 { margin-top: 2.5rem; border-bottom: 2px solid #1b1b1b; }
a { color: #0b57d0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
caption { text-align: left; font-weight: bold; padding: 0.5rem 0; }
th, td { border-bottom: 1px solid #c8c8c8; padding: 0.4rem 0.6rem; text-align: left;
         vertical-align: top; }
th.money, td.money, th.num, td.num { text-align: right; white-space: nowrap;
                                     font-variant-numeric: tabular-nums; }
tbody th { font-weight: normal; }
tfoot th, tfoot td { font-weight: bold; border-bottom: 0; }
tfoot tr:first-child th, tfoot tr:first-child td { border-top: 2px solid #1b1b1b; }
.note { background: #fff4ce; padding: 0.6rem 1rem; }
.en-only { font-size: 0.85em; color: #4a4a4a; }
.languages { margin: 0; text-align: right; font-weight: bold; }
@media (max-width: 56rem) {
  .scroll { overflow-x: visible; }
  table, caption, tbody, tfoot, tr, th, td { display: block; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
          clip-path: inset(50%); white-space: nowrap; }
  tr { border: 1px solid #c8c8c8; border-radius: 0.3rem; margin: 0 0 0.75rem;
       padding: 0.3rem 0.75rem; max-width: 36rem; }
  th, td { border: 0; padding: 0.2rem 0; overflow-wrap: anywhere; }
  tbody th, tfoot th { font-weight: bold; text-align: left; }
  th[scope="row"] { border-bottom: 1px solid #e4e4e4; margin-bottom: 0.2rem;
                    padding-bottom: 0.3rem; }
  td[data-label] { display: grid; grid-template-columns: minmax(6rem, 35%) 1fr;
                   gap: 0.75rem; }
  td[data-label]::before { content: attr(data-label); font-weight: normal; color: #4a4a4a;
                           text-align: left; white-space: normal; }
  td:empty { display: none; }
  tfoot tr { background: #f2f2f2; }
  tfoot tr:first-child th, tfoot tr:first-child td { border-top: 0; }
}
"""
