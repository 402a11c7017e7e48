"""The case list (the /cases/ page and the API's case list): filters across cases, flags and deadlines."""
