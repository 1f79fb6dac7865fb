"""The Whoosh engine: the only package that imports whoosh."""

from docket.core.search.whoosh.deferred import prepare as _prepare

_prepare()  # before any Whoosh import: see deferred (a fifth of a search's imports)
