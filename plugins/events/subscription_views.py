"""Pages to manage iCal subscriptions (filled in the next step)."""
