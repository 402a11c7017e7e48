"""The audit log page: the events a user may see, with the petitions, cases and users they concern.

The reader of app.audit, kept apart from it: every package writes audit rows (``audit.operations.record``),
so the writer sits low; the page joins the events to petitions, cases and users, so it sits above them.
"""
