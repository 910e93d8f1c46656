"""Payment reminders: which dates to offer, what a reminder says, and typed requests for one."""
