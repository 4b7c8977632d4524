#!/usr/bin/env python3
# Writes the .mobileconfig samples used by test-profile-mobileconfig (plistlib for the
# property lists, openssl for the signed ones).  Run from this directory after
# ../certs/make-certs.sh; the outputs are committed.
import plistlib, subprocess

def der(pem):
    return subprocess.run(['openssl', 'x509', '-in', pem, '-outform', 'DER'],
                          capture_output=True, check=True).stdout

def payload(kind, ident, uuid, **kw):
    d = {'PayloadType': kind, 'PayloadVersion': 1,
         'PayloadIdentifier': 'com.example.corp.' + ident, 'PayloadUUID': uuid}
    d.update(kw)
    return d

def profile(name, uuid, payloads, **kw):
    d = {'PayloadContent': payloads, 'PayloadDisplayName': name,
         'PayloadIdentifier': 'com.example.corp.profile', 'PayloadOrganization': 'Example Corp',
         'PayloadType': 'Configuration', 'PayloadUUID': uuid, 'PayloadVersion': 1}
    d.update(kw)
    return d

ca = payload('com.apple.security.root', 'ca', '0F6E1C55-1D0A-4C8E-9B1B-6A3A1E0C0001',
             PayloadContent=der('../certs/ca.pem'), PayloadDisplayName='Example Corp Root')
server_pem = payload('com.apple.security.pem', 'server', '0F6E1C55-1D0A-4C8E-9B1B-6A3A1E0C0002',
                     PayloadContent=open('../certs/server.pem', 'rb').read())
p12 = lambda name, password: payload(
    'com.apple.security.pkcs12', 'identity', '0F6E1C55-1D0A-4C8E-9B1B-6A3A1E0C0003',
    PayloadContent=open('../certs/' + name, 'rb').read(), Password=password,
    PayloadCertificateFileName='alice.p12')

eap_vpn = payload('com.apple.vpn.managed', 'vpn', 'A1B2C3D4-E5F6-4711-8899-AABBCCDDEEFF',
    UserDefinedName='Corp VPN (iOS)', VPNType='IKEv2', VPNSubType='',
    IKEv2={'RemoteAddress': 'vpn.example.com', 'RemoteIdentifier': 'vpn.example.com',
           'LocalIdentifier': 'alice@example.com', 'AuthenticationMethod': 'None',
           'ExtendedAuthEnabled': 1, 'AuthName': 'alice', 'AuthPassword': 'hunter2',
           'ServerCertificateIssuerCommonName': 'Example Corp Test Root CA',
           'DeadPeerDetectionRate': 'Medium', 'DisableMOBIKE': 0, 'EnablePFS': 0, 'MTU': 1400,
           'IKESecurityAssociationParameters': {'EncryptionAlgorithm': 'AES-256-GCM',
               'IntegrityAlgorithm': 'SHA2-384', 'DiffieHellmanGroup': 20,
               'LifeTimeInMinutes': 480},
           'ChildSecurityAssociationParameters': {'EncryptionAlgorithm': 'AES-256-GCM',
               'IntegrityAlgorithm': 'SHA2-384', 'DiffieHellmanGroup': 20,
               'LifeTimeInMinutes': 60},
           'OnDemandEnabled': 1,
           'OnDemandRules': [{'Action': 'Connect', 'InterfaceTypeMatch': 'WiFi'}]},
    DNS={'ServerAddresses': ['10.0.0.53', '2001:db8::53'], 'DomainName': 'corp.example.com',
         'SearchDomains': ['example.com'], 'SupplementalMatchDomains': ['internal.example.net']},
    Proxies={'HTTPEnable': 1, 'HTTPProxy': 'proxy.example.com', 'HTTPPort': 3128})
wifi = payload('com.apple.wifi.managed', 'wifi', '0F6E1C55-1D0A-4C8E-9B1B-6A3A1E0C0009',
               SSID_STR='Corp')
eap = profile('Corp VPN', '5E0A1D2C-3B4A-4F5E-8D7C-6B5A4F3E2D1C', [ca, eap_vpn, wifi],
              ConsentText={'default': 'Install the company VPN'}, PayloadScope='User')
plistlib.dump(eap, open('eap.mobileconfig', 'wb'))

cert_vpn = payload('com.apple.vpn.managed', 'vpn2', 'B1B2C3D4-E5F6-4711-8899-AABBCCDDEE00',
    UserDefinedName='Branch (certificate)', VPNType='IKEv2',
    IKEv2={'RemoteAddress': '198.51.100.20', 'RemoteIdentifier': 'vpn.example.com',
           'LocalIdentifier': 'alice@example.com', 'AuthenticationMethod': 'Certificate',
           'PayloadCertificateUUID': '0F6E1C55-1D0A-4C8E-9B1B-6A3A1E0C0003',
           'CertificateType': 'ECDSA256', 'DeadPeerDetectionRate': 'High', 'EnablePFS': 1,
           'NATKeepAliveInterval': 30,
           'IKESecurityAssociationParameters': {'EncryptionAlgorithm': 'AES-256',
               'IntegrityAlgorithm': 'SHA2-256', 'DiffieHellmanGroup': 14}})
cert = profile('Branch', '6E0A1D2C-3B4A-4F5E-8D7C-6B5A4F3E2D1C',
               [server_pem, ca, p12('alice-3des.p12', 'test-p12-pass'), cert_vpn])
plistlib.dump(cert, open('cert.mobileconfig', 'wb'))

# EAP-TLS, as a binary property list, with the modern (AES) PKCS#12 and no password
tls_vpn = payload('com.apple.vpn.managed', 'vpn3', 'C1B2C3D4-E5F6-4711-8899-AABBCCDDEE11',
    UserDefinedName='EAP-TLS', VPNType='IKEv2',
    IKEv2={'RemoteAddress': 'vpn.example.com', 'RemoteIdentifier': 'vpn.example.com',
           'LocalIdentifier': 'alice@example.com', 'AuthenticationMethod': 'Certificate',
           'ExtendedAuthEnabled': True, 'CertificateType': 'RSA-PSS',
           'PayloadCertificateUUID': '0F6E1C55-1D0A-4C8E-9B1B-6A3A1E0C0003',
           'DeadPeerDetectionRate': 'None'})
identity = p12('alice-aes.p12', None)
del identity['Password']
tls = profile('EAP-TLS', '7E0A1D2C-3B4A-4F5E-8D7C-6B5A4F3E2D1C', [ca, identity, tls_vpn])
plistlib.dump(tls, open('eap-tls-binary.mobileconfig', 'wb'), fmt=plistlib.FMT_BINARY)

def psk_vpn(n, name, addr):
    return payload('com.apple.vpn.managed', 'psk%d' % n, 'D%dB2C3D4-E5F6-4711-8899-AABBCCDDEE22' % n,
        UserDefinedName=name, VPNType='IKEv2',
        IKEv2={'RemoteAddress': addr, 'RemoteIdentifier': addr, 'LocalIdentifier': 'client',
               'AuthenticationMethod': 'SharedSecret',
               'SharedSecret': 'a-shared-secret-of-decent-length-%d' % n})
l2tp = payload('com.apple.vpn.managed', 'l2tp', 'E1B2C3D4-E5F6-4711-8899-AABBCCDDEE33',
               UserDefinedName='Old L2TP', VPNType='L2TP')
two = profile('Two sites', '8E0A1D2C-3B4A-4F5E-8D7C-6B5A4F3E2D1C',
              [psk_vpn(1, 'Site A', '203.0.113.1'), l2tp, psk_vpn(2, 'Site B', '203.0.113.2')])
plistlib.dump(two, open('two-vpns.mobileconfig', 'wb'))

subprocess.run(['openssl', 'smime', '-sign', '-nodetach', '-outform', 'der', '-binary',
                '-in', 'eap.mobileconfig', '-signer', '../certs/signer.pem',
                '-inkey', '../certs/signer.key', '-certfile', '../certs/ca.pem',
                '-out', 'eap-signed.mobileconfig'], check=True)
