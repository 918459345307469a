#!/usr/bin/env python3
"""Runs a command in a pseudo-terminal and answers its prompts, like a person at a terminal.

Usage: pty-drive.py SCRIPT_JSON -- COMMAND ARGS...
SCRIPT_JSON is a list of [expected_text, keys_to_send]; each expected text is awaited (10 s at
most) in the screen output before its keys are typed. Prints everything the program wrote, then
a last line "EXIT <code>"."""
import json, os, pty, re, select, sys, time

def main():
    sep = sys.argv.index('--')
    steps = json.loads(sys.argv[1])
    cmd = sys.argv[sep + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.pop('CI', None)
        os.environ['NO_COLOR'] = '1'
        os.execvp(cmd[0], cmd)
    out = b''
    plain = ''
    def pump(timeout):
        nonlocal out, plain
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            return True
        try:
            data = os.read(fd, 65536)
        except OSError:
            return False
        if not data:
            return False
        out += data
        plain = re.sub(r'\x1b\[[0-9;?]*[A-Za-z]', '', out.decode('utf8', 'replace'))
        return True
    pos = 0
    for expected, keys in steps:
        deadline = time.time() + 10
        while expected not in plain[pos:]:
            if time.time() > deadline or not pump(0.1):
                sys.stdout.write(plain)
                print(f'\nTIMEOUT waiting for {expected!r}')
                os.kill(pid, 9)
                print('EXIT 124')
                return
        pos = plain.index(expected, pos) + len(expected)
        time.sleep(0.05)
        os.write(fd, keys.encode('utf8'))
    while pump(0.2):
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            break
        if done:
            while pump(0.05):
                pass
            sys.stdout.write(plain)
            print(f'\nEXIT {os.waitstatus_to_exitcode(status)}')
            return
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(plain)
    print(f'\nEXIT {os.waitstatus_to_exitcode(status)}')

main()
