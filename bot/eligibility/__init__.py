"""Social-aid eligibility: the rules HR edits, the engine that applies them, the dialogue that asks the questions."""
