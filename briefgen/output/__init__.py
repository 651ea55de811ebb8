"""The output folder, and the only code that touches it: the writer (writer), the guard
against replacing a folder briefgen did not make (guard), the state of what was written
(state), the spare folder beside it and the atomic swap (folders), and the lock that
lets one build of a site run at a time (lock). May import core."""
