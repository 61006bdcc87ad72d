"""Understanding people: the vocabulary (data/lexicon.yml), plain text, the readers of
answers (times, ages, yes / no, names), the intent classifier and what to answer."""
