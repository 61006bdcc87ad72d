"""The pre-screen: its questions, one turn of the conversation, corrections, whom it is
about, and the eligibility rules over the answers."""
