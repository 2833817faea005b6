#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Run tcpd-bench --quick --json and check that what it measured was correct traffic.

Usage: check_bench.py [--offload | --overload] <tcpd-bench> <EAL args...>
Exit 0 if every check passes; prints each failed check otherwise. No timing is asserted: the
figures only have to exist and be positive. --overload runs the overload scenario alone (short,
1x and 5x) and checks its accounting instead.
"""
import json
import subprocess
import sys

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def check_overload(scen):
    """The dperf-like overload job, SYN shedding on: every launched connection completed or
    failed by a reason, the figures present, and the closed-loop capacity run never shed a SYN
    (admission control must only act on a server that is overflowing, never on one that is
    merely busy)."""
    mults = set()
    for s in scen:
        if s['name'] != 'overload':
            continue
        tag = 'overload/%dlc/%dx' % (s['lcores'], s['table'])
        mults.add(s['table'])
        o = s.get('overload')
        if not check(o is not None, '%s: the overload figures in the JSON' % tag):
            continue
        check(s['failures'] == 0, '%s: no bad response (%s)' % (tag, s['checks']))
        check(o['capacity_cps'] > 0 and o['goodput_cps'] > 0 and o['server_secs'] > 0,
              '%s: capacity, goodput and server time present (%s)' % (tag, o))
        launched = o['offered'] - o['not_launched']
        check(o['completed'] + o['failed'] == launched and launched > 0,
              '%s: completed %d + failed %d = launched %d'
              % (tag, o['completed'], o['failed'], launched))
        why = o['failed_by_reason']
        check(sum(v for k, v in why.items() if k != 'bad_response') == o['failed'],
              '%s: every failure counted by reason (%s, failed %d)' % (tag, why, o['failed']))
        check(o['server']['syn_shed_capacity_run'] == 0,
              '%s: the closed-loop capacity run shed no SYN (%d)'
              % (tag, o['server']['syn_shed_capacity_run']))
        check(o['syn_shed_on'] and o['last_ack_shed_on'],
              '%s: SYN shedding and the LAST-ACK hold both on (%s)' % (tag, o))
        if s['table'] == 1:
            check(o['completed'] > 0 and o['offered_x'] > 0.5,
                  '%s: 1x offered about capacity and completed (%s)' % (tag, o))
    check(mults == {1, 5}, 'overload ran at 1x and 5x (got %s)' % sorted(mults))


def main():
    args = sys.argv[1:]
    offload = args[0] == '--offload'
    overload = args[0] == '--overload'
    if offload or overload:
        args = args[1:]
    exe, eal = args[0], args[1:]
    cmd = [exe] + eal + ['--', '--quick', '--json'] + (['--offload'] if offload else [])
    if overload:
        cmd += ['--only', 'overload', '--ol-mults', '1,5', '--ol-secs', '0.2',
                '--ol-table', '4096', '--syn-shed', 'on', '--last-ack-shed', 'on',
                '--runs', '2']
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=280)
    sys.stderr.write(p.stderr[-4000:])
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        print('tcpd-bench did not print JSON (exit %d):\n%s' % (p.returncode, p.stdout[-2000:]))
        return 1
    prm = doc['params']
    if overload:
        check_overload(doc['scenarios'])
        if p.returncode not in (0, 3):
            failures.append('tcpd-bench exit status %d' % p.returncode)
        if failures:
            print('FAILED:\n  ' + '\n  '.join(failures))
            return 1
        print('ok: overload checked')
        return 0
    check(prm.get('offload') == offload, 'checksum mode as asked (offload=%s)' % offload)
    have_tcp = doc['have_tcp']
    scen = doc['scenarios']
    names = {s['name'] for s in scen}
    check('forward' in names, 'the forward baseline ran')
    lcores = sorted({s['lcores'] for s in scen})
    check(lcores == [1, 2], 'scenarios ran on 1 and 2 lcores (got %s)' % lcores)
    if have_tcp:
        for n in ('syn-always', 'syn6-always', 'syn-auto-full', 'syn6-auto-full', 'cycle-auto',
                  'cycle6-auto', 'cycle-always', 'cycle6-always', 'ack-established', 'load-http',
                  'load-echo'):
            check(n in names, 'scenario %s present' % n)
    for s in scen:
        tag = '%s/%dlc%s' % (s['name'], s['lcores'], '/%d' % s['table'] if s['table'] else '')
        if s['skipped'] and offload and s['name'].startswith(('syn6', 'cycle6')):
            continue  # the harness's NIC stand-in does IPv4 checksums only
        if s['skipped']:
            check(not have_tcp, '%s skipped although lib/tcp is built: %s' % (tag, s['note']))
            continue
        c, m, k = s['checks'], s['median'], s['lcores']
        notes = '; '.join(l['note'] for l in s['per_lcore'] if l['note'])
        check(s['failures'] == 0, '%s: %d failures (%s) checks=%s' % (tag, s['failures'], notes, c))
        check(m['rx_mpps'] > 0 and m['cycles_per_pkt'] > 0, '%s: figures present' % tag)
        check(c['tx_drop'] == 0, '%s: no TX drops' % tag)
        if s['name'] == 'forward':
            check(c['replies'] == c['sent'] and c['verified'] == c['sent'] and c['sent'] > 0,
                  '%s: every packet forwarded intact (%s)' % (tag, c))
        elif s['name'] in ('syn-always', 'syn6-always'):
            # every SYN exactly one SYN-ACK, ack = seq + 1, MSS option, checksums good
            check(c['replies'] == c['sent'] and c['verified'] == c['sent'] and c['sent'] > 0,
                  '%s: one checked SYN-ACK per SYN (%s)' % (tag, c))
            check(c['cookie_replayed'] > 0 and c['cookie_ok'] == c['cookie_replayed'],
                  '%s: the server accepts its cookies back (%d/%d)'
                  % (tag, c['cookie_ok'], c['cookie_replayed']))
            check(c['cookie_bad'] == 0, '%s: no cookie refused' % tag)
            check(c['replay_replies'] == 0, '%s: completing handshakes sends nothing' % tag)
        elif s['name'] in ('syn-auto-full', 'syn6-auto-full'):
            check(c['verified'] == c['sent'] and c['sent'] > 0 and c['missing'] == 0,
                  '%s: every SYN past the full table answered with a cookie (%s)' % (tag, c))
            check(c['cookie_bad'] == 0 and c['cookie_replayed'] > 0 and
                  c['cookie_ok'] + c['table_full'] == c['cookie_replayed'],
                  '%s: replayed cookies are valid (%s)' % (tag, c))
            check(c['table_conns'] == prm['synq_fill'] and s.get('bytes_per_conn', 0) > 0,
                  '%s: a full table of half-open connections, bytes per connection (%s)'
                  % (tag, c))
        elif s['name'].startswith('cycle'):
            want = prm['conns'] * prm['runs'] * k
            check(c['conns_ok'] == want and c['conns_failed'] == 0,
                  '%s: %d of %d full cycles completed, %d failed'
                  % (tag, c['conns_ok'], want, c['conns_failed']))
            check(c['server_closed'] == c['conns_ok'] and c['server_other'] == 0,
                  '%s: every finished connection CLOSED or TIME-WAIT on the server (%s)'
                  % (tag, c))
            check(c['server_open'] == 0, '%s: no server connection left open' % tag)
            check(s.get('bytes_per_conn', 0) > 0, '%s: the server\'s bytes per connection' % tag)
            check(c['requests'] == c['conns_ok'],
                  '%s: one checked response per connection (%s)' % (tag, c))
            check(c['client_bad'] == 0 and c['bad_reply'] == 0,
                  '%s: no bad frame on the wire, no client drop counter moved (%s)' % (tag, c))
            # every frame of a --quick run is checked on the wire, both directions
            check(c['verified'] == c['replies'] and c['replies'] > 0,
                  '%s: every server frame checked (%s)' % (tag, c))
            ok = c['conns_ok'] or 1
            check(c['resp_bytes'] % ok == 0 and
                  c['resp_bytes'] // ok >= prm['http_body'] + len('HTTP/1.1 200 OK\r\n'),
                  '%s: response bytes %d for %d connections, body %d'
                  % (tag, c['resp_bytes'], ok, prm['http_body']))
        elif s['name'].startswith('load-'):
            # lib/load's client against the server in one process: the counts of both sides
            want = prm['load_conns'] * k
            check(c['conns_ok'] == want and c['conns_failed'] == 0,
                  '%s: %d of %d connections completed, %d failed (%s)'
                  % (tag, c['conns_ok'], want, c['conns_failed'], notes))
            check(c['requests'] == 2 * want, '%s: 2 responses per connection (%d)'
                  % (tag, c['requests']))
            check(c['srv_opened'] == want and c['srv_closed'] == want and c['server_open'] == 0,
                  '%s: the server opened and closed as many (%s)' % (tag, c))
            if s['name'] == 'load-http':
                check(c['srv_requests'] == c['requests'],
                      '%s: server answered %d requests, client checked %d responses'
                      % (tag, c['srv_requests'], c['requests']))
            else:
                check(c['cli_tx_bytes'] == 200 * want,
                      '%s: 2 x 100 B echoed per connection (%d B)' % (tag, c['cli_tx_bytes']))
            check(c['cli_rx_bytes'] == c['srv_tx_bytes'] and c['cli_rx_bytes'] > 0,
                  '%s: bytes server -> client equal on both sides (%d, %d)'
                  % (tag, c['srv_tx_bytes'], c['cli_rx_bytes']))
            check(c['cli_tx_bytes'] == c['srv_rx_bytes'] and c['cli_tx_bytes'] > 0,
                  '%s: bytes client -> server equal on both sides (%d, %d)'
                  % (tag, c['cli_tx_bytes'], c['srv_rx_bytes']))
            check(c['server_drops'] == 0 and c['client_bad'] == 0,
                  '%s: no drop, RST or retransmission on either side (%s)' % (tag, c))
        elif s['name'] == 'ack-established':
            check(c['table_conns'] == s['table'],
                  '%s: %d live connections (want %d)' % (tag, c['table_conns'], s['table']))
            check(c['unexpected'] == 0 and c['sent'] > 0,
                  '%s: every ACK found its connection silently (%s)' % (tag, c))
            check(s.get('bytes_per_conn', 0) > 0, '%s: bytes per connection reported' % tag)
            check(c['lookup_keys'] > 0 and c['lookup_miss'] == 0,
                  '%s: lookup probe found every live key (%d keys, %d misses)'
                  % (tag, c['lookup_keys'], c['lookup_miss']))
    if p.returncode not in (0, 3):
        failures.append('tcpd-bench exit status %d' % p.returncode)
    if failures:
        print('FAILED:\n  ' + '\n  '.join(failures))
        return 1
    print('ok: %d scenarios checked (have_tcp=%s)' % (len(scen), have_tcp))
    return 0


if __name__ == '__main__':
    sys.exit(main())
