#!/usr/bin/env python3
# xcheck-scapy.py - cross-checks ferry's ESP and AH against an independent implementation,
# scapy.layers.ipsec (Debian's python3-scapy): packets ferry seals must decrypt/verify in
# scapy and packets scapy builds must open in ferry, for ESP (AES-GCM-16, AES-CBC +
# HMAC-SHA2-256-128) and AH (HMAC-SHA1-96, HMAC-SHA2-256/384/512), tunnel and transport
# mode, IPv4 and IPv6, with ESN; a flipped byte must fail on both sides, a router's changes
# to mutable fields must not (AH), a replay must fail in ferry.
#
# Usage: xcheck-scapy.py PATH-TO-xcheck-ipsec
# Exit: 0 all passed, 1 a check failed, 77 (skip) when scapy or its crypto backend is missing.
import os
import subprocess
import sys

try:
    from scapy.layers.inet import IP, UDP, IPOption_RR, IPOption_Router_Alert
    from scapy.layers.inet6 import IPv6, IPv6ExtHdrHopByHop, IPv6ExtHdrDestOpt, HBHOptUnknown
    from scapy.layers.ipsec import AH, ESP, SecurityAssociation, CRYPT_ALGOS, AUTH_ALGOS
    from scapy.packet import Raw
except ImportError as e:
    # Debian's python3-scapy is seen only by Debian's python3 (/usr/lib/python3/dist-packages).
    if sys.executable != "/usr/bin/python3" and os.path.exists("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    print(f"SKIP: scapy is missing ({e}); install python3-scapy")
    sys.exit(77)
if "AES-GCM" not in CRYPT_ALGOS or "SHA2-256-128" not in AUTH_ALGOS:
    print("SKIP: scapy has no IPsec crypto (python3-cryptography missing)")
    sys.exit(77)

HELPER = sys.argv[1]
SPI = 0x0C0FFEE1
V4 = ("198.51.100.10", "203.0.113.20")
V6 = ("2001:db8::10", "2001:db8:1::20")
T4 = ("198.51.100.1", "203.0.113.1")
T6 = ("2001:db8::1", "2001:db8:1::1")
ENCR_AES_CBC, ENCR_AES_GCM_16 = 12, 20
INTEG = {"HMAC-SHA1-96": (2, 20), "SHA2-256-128": (12, 32), "SHA2-384-192": (13, 48),
         "SHA2-512-256": (14, 64)}

failures = 0
checks = 0


def check(ok, what):
    global failures, checks
    checks += 1
    print(("ok " if ok else "not ok ") + f"{checks} - {what}")
    if not ok:
        failures += 1


def key(n, seed):
    return bytes((seed + 7 * i) & 0xFF for i in range(n))


def plain_packets(version, opts=False, count=4):
    """IP/UDP packets whose mutable fields are not at their defaults (AH must ignore them).
    opts: IPv4 record route (mutable) and router alert (immutable), RFC 4302 App. A; IPv6
    hop-by-hop with an option that may change en route and one that may not, then
    destination options (AH/ESP go behind both, as Linux and scapy place them)."""
    out = []
    for i in range(count):
        data = bytes((i * 31 + j) & 0xFF for j in range(17 + 61 * i))
        if version == 4:
            p = IP(src=V4[0], dst=V4[1], tos=0xB8, flags="DF", ttl=61, id=0x4242 + i,
                   options=[IPOption_RR(routers=["0.0.0.0"]), IPOption_Router_Alert()]
                   if opts else [])
        else:
            p = IPv6(src=V6[0], dst=V6[1], tc=0xB8, fl=0x12345, hlim=61)
            if opts:
                p = (p / IPv6ExtHdrHopByHop(options=[HBHOptUnknown(otype=0x3E, optdata=b"ab"),
                                                      HBHOptUnknown(otype=0x05, optdata=b"")])
                     / IPv6ExtHdrDestOpt(options=[HBHOptUnknown(otype=0x1E, optdata=b"1234")]))
        out.append(bytes(p / UDP(sport=4000 + i, dport=5000) / Raw(data)))
    return out


def run_helper(op, case, packets, seq=None, top=None):
    args = [HELPER, op, "--proto", case["proto"], "--mode", case["mode"],
            "--encr", str(case["encr"]), "--key-bits", str(case["bits"]),
            "--integ", str(case["integ"]), "--spi", str(SPI)]
    if case.get("enc_key"):
        args += ["--enc-key", case["enc_key"].hex()]
    if case.get("integ_key"):
        args += ["--integ-key", case["integ_key"].hex()]
    if case.get("esn"):
        args.append("--esn")
    if seq is not None:
        args += ["--seq", str(seq)]
    if top is not None:
        args += ["--top", str(top)]
    if case["proto"] == "ah":
        if case["mode"] == "tunnel":
            t = T4 if case["outer"] == 4 else T6
        else:
            t = V4 if case["outer"] == 4 else V6
        args += ["--src", t[0], "--dst", t[1]]
    res = subprocess.run(args, input="".join(p.hex() + "\n" for p in packets),
                         capture_output=True, text=True, check=True)
    out = []
    for line in res.stdout.splitlines():
        word, _, rest = line.partition(" ")
        out.append(bytes.fromhex(rest) if word == "OK" else rest)
    return out


def scapy_sa(case):
    tunnel = None
    if case["mode"] == "tunnel":
        t = T4 if case["outer"] == 4 else T6
        tunnel = IP(src=t[0], dst=t[1]) if case["outer"] == 4 else IPv6(src=t[0], dst=t[1])
    kw = dict(tunnel_header=tunnel, esn_en=case.get("esn", False), esn=0)
    if case["proto"] == "ah":
        return SecurityAssociation(AH, spi=SPI, auth_algo=case["scapy_auth"],
                                   auth_key=case["integ_key"], **kw)
    return SecurityAssociation(ESP, spi=SPI, crypt_algo=case["scapy_crypt"],
                               crypt_key=case["enc_key"], auth_algo=case.get("scapy_auth"),
                               auth_key=case.get("integ_key"), **kw)


def as_ip(raw, outer):
    return IP(raw) if outer == 4 else IPv6(raw)


def esp_wire(case, esp):
    """ferry's ESP tunnel output is ESP alone: put the outer header scapy expects in front."""
    t = T4 if case["outer"] == 4 else T6
    if case["outer"] == 4:
        return IP(bytes(IP(src=t[0], dst=t[1], proto=50) / Raw(esp)))
    return IPv6(bytes(IPv6(src=t[0], dst=t[1], nh=50) / Raw(esp)))


def ferry_to_wire(case, sealed):
    if case["proto"] == "esp" and case["mode"] == "tunnel":
        return esp_wire(case, sealed)
    return as_ip(sealed, case["outer"])


def wire_to_ferry(case, pkt):
    raw = bytes(pkt)
    if case["proto"] == "esp" and case["mode"] == "tunnel":
        return raw[20:] if case["outer"] == 4 else raw[40:]
    return raw


def flip(raw, pos):
    b = bytearray(raw)
    b[pos] ^= 0x01
    return bytes(b)


def mutate_in_flight(raw, opts=False):
    """What routers may do: DSCP/ECN, DF, TTL, checksum (v4); class, flow label, hop limit;
    with options, record a route (v4) or rewrite the option marked as changing (v6)."""
    b = bytearray(raw)
    if b[0] >> 4 == 4:
        b[1] ^= 0x03
        b[6] &= 0xBF
        b[8] -= 5
        b[10] ^= 0x55
        if opts:
            b[22] = 8
            b[23:27] = bytes([198, 51, 100, 99])
    else:
        b[1] ^= 0x30
        b[3] ^= 0x0F
        b[7] -= 5
        if opts:
            b[44] ^= 0xFF
            b[45] ^= 0xFF
    return bytes(b)


def outer_opts(case):
    """Options travel in the carrier's header only in transport mode."""
    return case.get("opts", False) and case["mode"] == "transport"


def decrypt(sa, pkt, seq):
    return sa.decrypt(pkt, esn_en=sa.esn_en, esn=seq >> 32)


def ferry_seals_scapy_opens(case, name, plain, first_seq):
    sealed = run_helper("seal", case, plain, seq=first_seq)
    sa = scapy_sa(case)
    for i, (p, s) in enumerate(zip(plain, sealed)):
        if not isinstance(s, bytes):
            check(False, f"{name}: ferry sealed packet {i} ({s})")
            continue
        try:
            got = bytes(decrypt(sa, ferry_to_wire(case, s), first_seq + i))
            check(got == p, f"{name}: scapy opens ferry's packet {i}")
        except Exception as e:  # noqa: BLE001 - any failure is a finding
            check(False, f"{name}: scapy opens ferry's packet {i} ({type(e).__name__}: {e})")
    s = sealed[-1]
    try:
        decrypt(sa, ferry_to_wire(case, flip(s, len(s) - 3)), first_seq + len(plain) - 1)
        check(False, f"{name}: scapy refuses ferry's packet with a byte flipped")
    except Exception as e:  # noqa: BLE001
        check(type(e).__name__ in ("IPSecIntegrityError", "InvalidTag"),
              f"{name}: scapy refuses ferry's packet with a byte flipped ({type(e).__name__})")
    if case["proto"] == "ah":
        try:
            got = decrypt(sa, as_ip(mutate_in_flight(sealed[0], outer_opts(case)), case["outer"]),
                          first_seq)
            check(bytes(got)[-20:] == plain[0][-20:],
                  f"{name}: scapy verifies ferry's packet after routers changed mutable fields")
        except Exception as e:  # noqa: BLE001
            check(False, f"{name}: scapy verifies ferry's packet after mutable changes ({e})")


def scapy_seals_ferry_opens(case, name, plain, first_seq):
    sa = scapy_sa(case)
    wire = []
    for i, p in enumerate(plain + plain[:1]):
        seq = first_seq + i
        pkt = IP(p) if p[0] >> 4 == 4 else IPv6(p)
        # scapy reads a seq_num of 0 as "none given" and takes sa.seq_num instead.
        sa.seq_num = seq & 0xFFFFFFFF
        wire.append(wire_to_ferry(case, sa.encrypt(pkt, esn_en=sa.esn_en, esn=seq >> 32)))
    extra = wire.pop()  # one more packet, number n: sent tampered, then mutated (AH)
    inputs = wire + [flip(extra, len(extra) - 3), wire[0]]
    if case["proto"] == "ah":
        inputs.append(mutate_in_flight(extra, outer_opts(case)))
    got = run_helper("open", case, inputs, top=first_seq - 1)
    for i, p in enumerate(plain):
        check(got[i] == p, f"{name}: ferry opens scapy's packet {i}"
              + ("" if isinstance(got[i], bytes) else f" ({got[i]})"))
    n = len(plain)
    check(got[n] == "integrity check failed",
          f"{name}: ferry refuses scapy's packet with a byte flipped ({got[n]!r:.40})")
    check(got[n + 1] == "replayed", f"{name}: ferry refuses a replay ({got[n + 1]!r:.40})")
    if case["proto"] == "ah":
        check(isinstance(got[n + 2], bytes),
              f"{name}: ferry verifies scapy's packet after routers changed mutable fields"
              + ("" if isinstance(got[n + 2], bytes) else f" ({got[n + 2]})"))


def cases():
    esp_algs = [
        dict(alg="aes-gcm-16-128", encr=ENCR_AES_GCM_16, bits=128, integ=0,
             enc_key=key(20, 0x11), scapy_crypt="AES-GCM"),
        dict(alg="aes-cbc-128+sha2-256-128", encr=ENCR_AES_CBC, bits=128, integ=12,
             enc_key=key(16, 0x21), integ_key=key(32, 0x31), scapy_crypt="AES-CBC",
             scapy_auth="SHA2-256-128"),
    ]
    for alg in esp_algs:
        for mode in ("tunnel", "transport"):
            for v in (4, 6):
                yield dict(alg, proto="esp", mode=mode, outer=v, inner=v if mode == "transport"
                           else 10 - v)
    for auth, (integ, klen) in INTEG.items():
        for mode in ("tunnel", "transport"):
            for v in (4, 6):
                yield dict(alg=auth.lower(), proto="ah", mode=mode, outer=v, encr=0, bits=0,
                           integ=integ, integ_key=key(klen, 0x41 + integ), scapy_auth=auth,
                           inner=v if mode == "transport" else 10 - v)
    # RFC 4303 §2.2.1 / RFC 4302 §2.5.1: ESN across the 2^32 boundary.  (scapy implements
    # ESN for ESP only with AEAD algorithms.)
    yield dict(esp_algs[0], proto="esp", mode="tunnel", outer=4, inner=4, esn=True)
    yield dict(esp_algs[0], proto="esp", mode="transport", outer=6, inner=6, esn=True)
    yield dict(alg="sha2-256-128", proto="ah", mode="transport", outer=6, inner=6, encr=0,
               bits=0, integ=12, integ_key=key(32, 0x77), scapy_auth="SHA2-256-128", esn=True)
    yield dict(alg="sha2-256-128", proto="ah", mode="tunnel", outer=4, inner=6, encr=0,
               bits=0, integ=12, integ_key=key(32, 0x78), scapy_auth="SHA2-256-128", esn=True)
    # RFC 4302 §3.3.3.1: IPv4 options and IPv6 extension headers, mutable and immutable parts;
    # RFC 4303 §3.1.1: ESP behind the IPv6 extension headers that stay in front.
    for v in (4, 6):
        yield dict(alg="sha2-256-128", proto="ah", mode="transport", outer=v, inner=v, encr=0,
                   bits=0, integ=12, integ_key=key(32, 0x79), scapy_auth="SHA2-256-128",
                   opts=True)
        yield dict(alg="hmac-sha1-96", proto="ah", mode="tunnel", outer=v, inner=v, encr=0,
                   bits=0, integ=2, integ_key=key(20, 0x7A), scapy_auth="HMAC-SHA1-96",
                   opts=True)
        yield dict(esp_algs[1], proto="esp", mode="transport", outer=v, inner=v, opts=True)


def main():
    for case in cases():
        name = (f"{case['proto']} {case['mode']} {case['alg']} ipv{case['outer']}"
                + (f" (inner ipv{case['inner']})" if case["mode"] == "tunnel" else "")
                + (" esn" if case.get("esn") else "")
                + (" with options" if case.get("opts") else ""))
        first = (1 << 32) - 2 if case.get("esn") else 1
        plain = plain_packets(case["inner"], case.get("opts", False))
        ferry_seals_scapy_opens(case, name, plain, first)
        scapy_seals_ferry_opens(case, name, plain, first)
    print(f"{checks - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)


main()
