#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Run tcpd-bench --quick --json and check that what it measured was correct traffic.

Usage: check_bench.py [--offload | --overload] <tcpd-bench> <EAL args...>
       check_bench.py --selftest <recorded JSON>
Exit 0 if every check passes; prints each failed check otherwise. No timing is asserted: the
figures only have to exist and be positive. --overload runs the overload scenario alone (short,
1x and 5x) and checks its accounting instead. --selftest checks the load scenarios' accounting
against a recorded loaded run, as recorded and with each invariant broken in turn.
"""
import json
import subprocess
import sys

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def recovery(tag, x, y, names, wire_x, handshake, seg_bytes, flight):
    """One side of a scenario of two workers (load, cycle) (counters x, its peer's y): every retransmission and TX drop
    accounted for. A loaded machine preempts the lcore; its wall-clock timers then fire in a
    burst (tail-loss probes, RTOs) that can overflow a TX ring, and TCP repairs the loss. What
    holds whatever the timing:
    - the wire lost nothing uncounted: x sent (tx_pkts) what the wire carried, y received it;
    - every retransmitted segment has a cause: at most `flight` per RTO expiry, one per
      tail-loss probe, fast or SACK retransmission and SYN answered again, and in the handshake
      the SYNs (SYN-ACKs) the wire carried beyond the first ones plus those of them that the
      full TX ring dropped (at most tx_drop);
    - the payload sent beyond what y accepted was retransmitted: none without a retransmission,
      at most `seg_bytes` for each;
    - y's duplicates (out-of-window data, D-SACKs sent) come from x's retransmissions.
    handshake: (SYNs or SYN-ACKs the wire carried from x, the first ones x sent)."""
    name, peer = names
    rtx, drops = x.get('retransmit', 0), x.get('tx_drop', 0)
    check(x.get('tx_pkts', 0) == wire_x == y.get('rx_pkts', 0) and wire_x > 0,
          '%s: %s sent %d frames, the wire carried %d, the %s received %d'
          % (tag, name, x.get('tx_pkts', 0), wire_x, peer, y.get('rx_pkts', 0)))
    on_wire, first = handshake
    check(on_wire + drops >= first,
          '%s: %s: %d handshake frames on the wire and %d TX drops, below the %d first ones'
          % (tag, name, on_wire, drops, first))
    why = {k: x.get(k, 0) for k in ('rto_expired', 'tlp_probe', 'fast_retransmit',
                                    'sack_retransmit', 'syn_retransmit_rx')}
    causes = (flight * why['rto_expired'] + sum(why.values()) - why['rto_expired'] +
              max(on_wire - first, 0) + drops)
    check(rtx <= causes,
          '%s: %s retransmitted %d segments, more than its causes allow: %d (%d per RTO, %s, '
          '%d handshake frames beyond the first, %d TX drops)'
          % (tag, name, rtx, causes, flight, why, on_wire - first, drops))
    extra = x.get('data_tx_bytes', 0) - y.get('data_rx_bytes', 0)
    check(0 <= extra <= seg_bytes * rtx,
          '%s: %s sent %d payload bytes beyond the %d its peer accepted, with %d '
          'retransmissions of at most %d B' % (tag, name, extra, y.get('data_rx_bytes', 0), rtx,
                                                seg_bytes))
    dup = {k: y.get(k, 0) for k in ('drop_out_of_window', 'dsack_tx')}
    check(max(dup.values()) <= rtx and x.get('dsack_rx', 0) <= dup['dsack_tx'],
          '%s: the %s\'s duplicates %s and the %d D-SACKs the %s received come from its %d '
          'retransmissions' % (tag, peer, dup, x.get('dsack_rx', 0), name, rtx))


def check_load(s, prm, tag, k, notes):
    """lib/load's client against the server in one process: the outcome on both sides exact,
    and what the machine's load cost (TX drops, retransmissions) accounted for, neither a rate
    nor "none"."""
    c, srv, cli = s['checks'], s['server_stats'], s['client_stats']
    want = prm['load_conns'] * k
    check(c['conns_ok'] == want and c['conns_failed'] == 0,
          '%s: %d of %d connections completed, %d failed (%s)'
          % (tag, c['conns_ok'], want, c['conns_failed'], notes))
    check(c['requests'] == 2 * want, '%s: 2 responses per connection (%d)' % (tag, c['requests']))
    check(c['srv_opened'] == want and c['srv_closed'] == want and c['server_open'] == 0,
          '%s: the server opened and closed as many (%s)' % (tag, c))
    if s['name'] == 'load-http':
        check(c['srv_requests'] == c['requests'],
              '%s: server answered %d requests, client checked %d responses'
              % (tag, c['srv_requests'], c['requests']))
    else:
        check(c['cli_tx_bytes'] == 200 * want and c['cli_rx_bytes'] == 200 * want,
              '%s: 2 x 100 B sent and echoed per connection (%d B, %d B)'
              % (tag, c['cli_tx_bytes'], c['cli_rx_bytes']))
    # What each application received is what the other sent, once; each side's TCP counts the
    # same in-order bytes as its application (data_tx_bytes counts retransmissions: below).
    check(c['cli_rx_bytes'] == cli.get('data_rx_bytes', 0) and c['requests'] > 0 and
          c['cli_rx_bytes'] > 0 and c['cli_rx_bytes'] % c['requests'] == 0,
          '%s: bytes server -> client: the client\'s application %d, its TCP %d, for %d '
          'responses of one size' % (tag, c['cli_rx_bytes'], cli.get('data_rx_bytes', 0),
                                     c['requests']))
    check(c['cli_tx_bytes'] == c['srv_rx_bytes'] == srv.get('data_rx_bytes', 0) and
          c['cli_tx_bytes'] > 0,
          '%s: bytes client -> server: sent %d, the server\'s application %d, its TCP %d'
          % (tag, c['cli_tx_bytes'], c['srv_rx_bytes'], srv.get('data_rx_bytes', 0)))
    check(c['server_drops'] == 0 and c['client_bad'] == 0,
          '%s: no drop, RST or timeout on either side, loss recovery apart (%s; %s)'
          % (tag, notes, c))
    check(c['mbufs_left'] == 0, '%s: %d mbufs never freed' % (tag, c['mbufs_left']))
    check_recovery(tag, s, c['requests'])


def check_recovery(tag, s, n):
    """Both sides of a scenario of two workers (load, cycle): TX drops and retransmissions
    accounted for (recovery); `n` requests and as many responses, all of one size each."""
    c, srv, cli = s['checks'], s['server_stats'], s['client_stats']
    check(c['tx_drop'] == srv.get('tx_drop', 0) + cli.get('tx_drop', 0),
          '%s: TX drops %d, server %d + client %d'
          % (tag, c['tx_drop'], srv.get('tx_drop', 0), cli.get('tx_drop', 0)))
    # A request or a response is at most one segment here: a flight is that and a FIN.
    n = max(n, 1)  # none: failed already
    resp, req, mss = cli.get('data_rx_bytes', 0) // n, srv.get('data_rx_bytes', 0) // n, 1460
    flight = max(-(-resp // mss), -(-req // mss)) + 1
    recovery(tag, srv, cli, ('server', 'client'), c['replies'],
             (c['wire_synack'], srv.get('syn_rx', 0) + srv.get('syn_retransmit_rx', 0)),
             min(resp, mss), flight)
    recovery(tag, cli, srv, ('client', 'server'), c['sent'],
             (c['wire_syn'], cli.get('syn_sent', 0)), min(req, mss), flight)
    # An established client answers a SYN-ACK sent again with a challenge ACK (RFC 5961 4).
    check(cli.get('challenge_ack', 0) <= srv.get('retransmit', 0),
          '%s: the client\'s %d challenge ACKs answer the server\'s %d retransmissions'
          % (tag, cli.get('challenge_ack', 0), srv.get('retransmit', 0)))


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


def selftest(path):
    """The load accounting against a recorded loaded run (tests/bench/load_preempted.json, TX
    drops and retransmissions that TCP repaired): it passes as recorded, and each broken
    invariant below makes it fail, so that the checks cannot silently become vacuous."""
    doc = json.load(open(path))
    scen = [s for s in doc['scenarios'] if s['name'].startswith('load-')]

    def run(s):
        del failures[:]
        check_load(s, doc['params'], '%s/%dlc' % (s['name'], s['lcores']), s['lcores'], '')
        return list(failures)

    bad = ['%s/%d as recorded: %s' % (s['name'], s['lcores'], f) for s in scen for f in run(s)]
    # the scenario that recovered most: every invariant below has something to bite on
    base = max(scen, key=lambda s: s['client_stats'].get('retransmit', 0) +
               s['server_stats'].get('retransmit', 0))
    c0, seg = base['checks'], base['checks']['cli_rx_bytes'] // base['checks']['requests']

    def lose_frame(c, srv, cli):
        c['replies'] -= 1                       # the wire lost a frame without a count

    def unreceived(c, srv, cli):
        cli['rx_pkts'] -= 1                     # a frame carried but never received

    def causeless(c, srv, cli):
        for k in ('rto_expired', 'tlp_probe', 'tx_drop'):
            cli[k] = 0                          # the client retransmitted without a cause
        c['wire_syn'] = cli['syn_sent']
        c['tx_drop'] = srv.get('tx_drop', 0)

    def conn_failed(c, srv, cli):
        c['conns_ok'] -= 1
        c['conns_failed'] += 1

    def byte_lost(c, srv, cli):
        c['cli_rx_bytes'] -= 1
        cli['data_rx_bytes'] -= 1

    def sent_less(c, srv, cli):
        srv['data_tx_bytes'] = cli['data_rx_bytes'] - 1

    def sent_more(c, srv, cli):
        srv['data_tx_bytes'] = cli['data_rx_bytes'] + seg * srv['retransmit'] + 1

    def leak(c, srv, cli):
        c['mbufs_left'] = 1

    def fault(c, srv, cli):
        c['server_drops'] = 1                   # an RST, a parse drop or a timeout

    def dup(c, srv, cli):
        srv['drop_out_of_window'] = cli['retransmit'] + 1

    def challenge(c, srv, cli):
        cli['challenge_ack'] = srv['retransmit'] + 1

    def drop_sum(c, srv, cli):
        c['tx_drop'] += 1

    for broken in (lose_frame, unreceived, causeless, conn_failed, byte_lost, sent_less,
                   sent_more, leak, fault, dup, challenge, drop_sum):
        s = json.loads(json.dumps(base))
        broken(s['checks'], s['server_stats'], s['client_stats'])
        if not run(s):
            bad.append('%s: not caught' % broken.__name__)
    del failures[:]
    if bad or c0['tx_drop'] == 0:
        print('FAILED:\n  ' + '\n  '.join(bad or ['the recorded run has no TX drop']))
        return 1
    print('ok: %d recorded load scenarios pass, 12 broken invariants caught' % len(scen))
    return 0


def main():
    args = sys.argv[1:]
    if args[0] == '--selftest':
        return selftest(args[1])
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
        if not s['name'].startswith(('load-', 'cycle')):  # else: check_recovery
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
            check_recovery(tag, s, c['conns_ok'])
            # every frame of a --quick run is checked on the wire, both directions
            check(c['verified'] == c['replies'] and c['replies'] > 0,
                  '%s: every server frame checked (%s)' % (tag, c))
            ok = c['conns_ok'] or 1
            check(c['resp_bytes'] % ok == 0 and
                  c['resp_bytes'] // ok >= prm['http_body'] + len('HTTP/1.1 200 OK\r\n'),
                  '%s: response bytes %d for %d connections, body %d'
                  % (tag, c['resp_bytes'], ok, prm['http_body']))
        elif s['name'].startswith('load-'):
            check_load(s, prm, tag, k, notes)
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
    # What the machine's load cost the load scenarios, all of it accounted for above.
    cost = [(s['name'], s['lcores'], s['checks']['tx_drop'],
             s['server_stats'].get('retransmit', 0) + s['client_stats'].get('retransmit', 0))
            for s in scen if 'server_stats' in s]
    print('ok: %d scenarios checked (have_tcp=%s); recovered (TX drops, retransmissions): %s'
          % (len(scen), have_tcp, ', '.join('%s/%dlc %d %d' % x for x in cost if x[2] or x[3])
             or 'none'))
    return 0


if __name__ == '__main__':
    sys.exit(main())
