"""« Ask HR »: questions the assistant could not answer, sent to HR with the person's consent, and HR's answers."""
