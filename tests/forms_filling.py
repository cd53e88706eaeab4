"""How tests fill in and sign packets as a new hire's tools would: pikepdf's form filler, pyHanko, Word's XML."""

from __future__ import annotations

import datetime
import io
import re
import warnings
import zipfile
from pathlib import Path

import pikepdf
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from pikepdf.form import CheckboxField, Form, TextField

with warnings.catch_warnings():  # pyHanko's cryptography imports warn of algorithms these tests do not use
    warnings.simplefilter("ignore")
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


def fill_pdf(source: Path, target: Path, *, untick: int = 0, date: str = "", typed: str = "") -> None:
    """Tick every task but the last ``untick``, type the date and name; appearances made as a filler makes them."""
    with pikepdf.open(source) as pdf:
        fields = list(Form(pdf))
        boxes = [f for f in fields if isinstance(f, CheckboxField)]
        for box in boxes[: len(boxes) - untick]:
            box.checked = True
        for field in fields:
            if isinstance(field, TextField):
                field.value = {"date": date, "typed-name": typed}.get(field.fully_qualified_name, "")
        pdf.acroform.generate_appearances_if_needed()
        pdf.save(target)


def signer(common_name: str) -> signers.SimpleSigner:
    """A signer with a self-signed certificate made here, for ``common_name``."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(start)
                   .not_valid_after(start + datetime.timedelta(days=3650))
                   .sign(key, hashes.SHA256()))
    der_key = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(der_key), cert_registry=None)


def sign_pdf(source: Path, target: Path, who: signers.SimpleSigner, field: str = "signature") -> None:
    """The packet's signature field signed (an incremental update, as Acrobat or Okular sign)."""
    with source.open("rb") as handle:
        signed = signers.sign_pdf(IncrementalPdfFileWriter(handle, strict=False),
                                  signers.PdfSignatureMetadata(field_name=field), signer=who)
    target.write_bytes(signed.getvalue())


def change_after_signing(source: Path, target: Path, field: str = "date", value: str = "2020-01-01") -> None:
    """A text field's value changed in an incremental update after the signature."""
    with source.open("rb") as handle:
        writer = IncrementalPdfFileWriter(handle, strict=False)
        for reference in writer.root["/AcroForm"]["/Fields"]:
            found = reference.get_object()
            if found.get("/T") == field:
                found[generic.NameObject("/V")] = generic.TextStringObject(value)
                writer.update_container(found)
        out = io.BytesIO()
        writer.write(out)
    target.write_bytes(out.getvalue())


def fill_docx(source: Path, target: Path, *, untick: int = 0, date: str = "", typed: str = "") -> None:
    """Tick the task boxes, pick the date and type the name, by editing the XML as Word saves it."""
    with zipfile.ZipFile(source) as package:
        parts = {info: package.read(info.filename) for info in package.infolist()}
    document = next(info for info in parts if info.filename == "word/document.xml")
    root = etree.fromstring(parts[document])
    controls = root.iter(f"{{{W}}}sdt")
    boxes, texts = [], {}
    for sdt in controls:
        properties = sdt.find(f"{{{W}}}sdtPr")
        tag = properties.find(f"{{{W}}}tag")
        name = tag.get(f"{{{W}}}val") if tag is not None else ""
        if properties.find(f"{{{W14}}}checkbox") is not None:
            boxes.append(sdt)
        elif name in ("date", "typed-name"):
            texts.setdefault(name, []).append(sdt)
    for sdt in boxes[: len(boxes) - untick]:
        sdt.find(f"{{{W}}}sdtPr/{{{W14}}}checkbox/{{{W14}}}checked").set(f"{{{W14}}}val", "1")
        sdt.find(f".//{{{W}}}sdtContent//{{{W}}}t").text = "\u2612"
    for name, value in (("date", date), ("typed-name", typed)):
        for sdt in texts.get(name, []) if value else []:
            properties = sdt.find(f"{{{W}}}sdtPr")
            properties.remove(properties.find(f"{{{W}}}showingPlcHdr"))
            run = sdt.find(f"{{{W}}}sdtContent/{{{W}}}r")
            for child in list(run):
                if child.tag != f"{{{W}}}rPr":
                    run.remove(child)
            etree.SubElement(run, f"{{{W}}}t").text = value
    parts[document] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in parts.items():
            package.writestr(info, data)


def set_packet_id(source: Path, target: Path, packet: str) -> None:
    """A packet whose metadata names another packet id (one not built)."""
    with pikepdf.open(source) as pdf:
        xmp = pdf.Root.Metadata.read_bytes()
        pdf.Root.Metadata.write(re.sub(rb"<mpk:packet>[^<]*</mpk:packet>",
                                       b"<mpk:packet>" + packet.encode() + b"</mpk:packet>", xmp))
        pdf.save(target)
