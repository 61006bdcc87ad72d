"""What keeps health data private: pseudonyms, log redaction, private files, retention."""
