"""Replies outside the pre-screen: a question about the trial answered from its file, a
passage of its sources, a medicine's rule, the study team's contact route, and what a message
nobody could place gets. Each is chosen from one reading of the message (message.Message) and
returned as plain replies (outcome.Outcome) that the action adapter says and records."""
