"""The platform's pages: server-rendered Django templates over the same services and
selectors as the API (issue 16). No build step; a small script only enhances."""
