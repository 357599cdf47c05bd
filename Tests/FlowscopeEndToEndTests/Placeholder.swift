// End-to-end tests of the real `flowscope` binary under tmux live in this target.
