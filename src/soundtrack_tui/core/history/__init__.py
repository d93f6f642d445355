"""Watch history in and out: Trakt and TV Time exports and this program's
own export, read safely into plain rows, matched to installed shows and
planned before anything is written.

`rows` (the records), `reading` (opening an input safely), `jsonarray`
(a huge JSON array, streamed), `trakt`, `tvtime` and `portable` (one parser
per format; `portable` also writes), `sources` (which parser an input
needs), `matching`, `plan` (what an import would change), `notice` (the
line the next launch shows) and `from_packs` (installed packs as shows).
No Textual.
"""
