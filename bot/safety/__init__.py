"""Safety: messages that need emergency care now, whatever else is going on."""
