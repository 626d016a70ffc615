"""The shared core below the case apps: the one transition runner and its record, the
errors a service raises, the page helper, the PDF renderer and the validators every case
model uses. It names no case app (see docs/decisions/0005-casework-core.md)."""
