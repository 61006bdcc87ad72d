"""The trial assistant's domain: importable and testable without Rasa."""
