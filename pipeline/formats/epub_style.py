"""The EPUB style sheet.

The CSS sets structure, not appearance: no font families, no absolute font
sizes and no colours, so the reader's own typeface, size and night mode
apply. Sizes are relative (``em``) and borders use ``currentColor``. The one
font family is for formulas: the OpenType math fonts of macOS, Windows and
Linux, then the generic ``math``. A reading system that knows no ``math``
family (calibre 6's converter) otherwise drew formulas without their digits
and operators (seen in its PDF of the proof book: only fraction bars were left).
"""

from __future__ import annotations

from pipeline.formats import codelines, tables

CSS = """\
@charset "UTF-8";
/* Structure only: the reading system's font, size and colours apply. */
body { margin: 0 4%; line-height: 1.5; overflow-wrap: break-word; }
h1, h2, h3, h4, h5, h6 {
  line-height: 1.25; text-align: start; hyphens: manual;
  break-after: avoid; page-break-after: avoid; break-inside: avoid;
}
h1 { font-size: 1.75em; margin: 1.5em 0 0.5em; }
h2 { font-size: 1.4em; margin: 1.4em 0 0.5em; }
h3 { font-size: 1.2em; margin: 1.2em 0 0.4em; }
h4, h5, h6 { font-size: 1em; margin: 1em 0 0.3em; }
p { margin: 0 0 0.75em; }
header.title-page { margin: 2em 0 2.5em; text-align: center; }
header.title-page h1 { text-align: center; }
header.title-page p { margin: 0.4em 0; }
header.title-page .subtitle { font-size: 1.2em; font-style: italic; }
blockquote { margin: 1em 2em; }
pre { white-space: pre-wrap; font-family: monospace; font-size: 0.9em; margin: 1em 0;
  padding-inline-start: 1em; border-inline-start: 0.2em solid currentColor; }
code { font-family: monospace; }
/* Tables fit the page: no scroll bar (it would be printed), cells wrap anywhere. */
table { border-collapse: collapse; max-width: 100%; margin: 1em 0; }
table.wide { font-size: 0.9em; }
caption { caption-side: top; font-style: italic; margin-bottom: 0.3em; overflow-wrap: anywhere; }
th, td { border: 1px solid currentColor; padding: 0.25em 0.5em; vertical-align: top;
  overflow-wrap: anywhere; hyphens: auto; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
@media (max-width: 30em) {
  table.wide { font-size: 0.8em; }
  table.wide th, table.wide td { padding: 0.2em 0.25em; }
}
th { font-weight: bold; }
.align-left { text-align: left; }
.align-center { text-align: center; }
.align-right { text-align: right; }
p.heading { font-weight: bold; margin-top: 1em; }
.backlinks { font-size: 0.9em; }
figure { margin: 1em 0; text-align: center; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-style: italic; margin-top: 0.3em; }
img { max-width: 100%; height: auto; }
dt { font-weight: bold; }
dd { margin: 0 0 0.5em 2em; }
sup { line-height: 0; }
ol.references, section[role="doc-bibliography"] ol { padding-inline-start: 2em; }
nav ol { list-style-type: none; padding-inline-start: 1.2em; }
nav > ol { padding-inline-start: 0; }
body.cover { margin: 0; padding: 0; text-align: center; }
body.cover img { max-width: 100%; max-height: 98vh; height: auto; }
math { font-family: "STIX Two Math", "Cambria Math", "Latin Modern Math",
  "DejaVu Math TeX Gyre", math; }
.math-display { margin: 1em 0; text-align: center; }
.math-error { white-space: pre-wrap; }
details.description { margin: 0 0 1em; padding-inline-start: 1em;
  border-inline-start: 0.2em solid currentColor; }
"""
CSS += codelines.CSS + tables.CSS
