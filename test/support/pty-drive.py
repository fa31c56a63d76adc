"""Runs a command in a pseudo-terminal and answers its prompts, as a person would.

usage: pty-drive.py '<json list of answers>' cmd args...
Each answer is typed (then Enter) when the output stops at a prompt (ends in ": ", before
any cursor movement). Prints everything the command wrote, then exits with the command's
exit code.
"""
import json
import re
import os
import pty
import select
import sys
import time

PROMPT = re.compile(rb": (\x1b\[[0-9]+G)?$")
answers = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])

output = b""
pending = b""
deadline = time.time() + 60
while time.time() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.2)
    if ready:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
        pending += chunk
    # The output waits at a prompt: answer it, once.
    if answers and PROMPT.search(pending):
        pending = b""
        answer = answers.pop(0)
        # "<ctrl-d>" ends the input, as a person pressing Ctrl-D at the prompt.
        os.write(fd, b"\x04" if answer == "<ctrl-d>" else (answer + "\r").encode())
_, status = os.waitpid(pid, 0)
sys.stdout.write(output.decode("utf-8", "replace"))
sys.exit(os.waitstatus_to_exitcode(status))
