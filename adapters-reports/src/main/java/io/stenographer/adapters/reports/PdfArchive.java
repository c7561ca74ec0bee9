package io.stenographer.adapters.reports;

import io.stenographer.application.port.out.RenderReportPort;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.report.ReportHeader;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.Map;
import java.util.TimeZone;
import javax.xml.transform.TransformerException;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentCatalog;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.common.PDMetadata;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.apache.pdfbox.pdmodel.graphics.color.PDOutputIntent;
import org.apache.xmpbox.XMPMetadata;
import org.apache.xmpbox.schema.AdobePDFSchema;
import org.apache.xmpbox.schema.DublinCoreSchema;
import org.apache.xmpbox.schema.PDFAIdentificationSchema;
import org.apache.xmpbox.schema.XMPBasicSchema;
import org.apache.xmpbox.type.BadFieldValueException;
import org.apache.xmpbox.xml.XmpSerializer;

/**
 * What makes a rendered report a PDF/A-3b archive file: XMP metadata (the report, its query, its checkpoint, the
 * generator) that agrees with the document information, an sRGB output intent, the verifiable bundle attached as an
 * associated file ({@code /AF}, relationship {@code Data}: the table is drawn from it), and a fixed {@code /ID} and
 * dates taken from the report, so the same report always gives the same bytes.
 */
final class PdfArchive {

    static final String GENERATOR = "Stenographer report renderer (" + ReportHeader.FORMAT + ")";
    static final String PRODUCER = "Stenographer with Apache PDFBox";

    private PdfArchive() {
    }

    static void make(PDDocument pdf, ReportHeader header, RenderReportPort.Bundle bundle, Path scratch)
            throws IOException {
        pdf.getDocument().setVersion(1.7f);
        Calendar date = date(header);
        metadata(pdf, header, date);
        outputIntent(pdf);
        attach(pdf, bundle, date, scratch);
        byte[] id = Arrays.copyOf(sha256(("stenographer.report-pdf/v1\n" + header.reportId() + "\n"
                + header.checkpoint().treeSize() + "\n").getBytes(StandardCharsets.UTF_8)), 16);
        COSArray ids = new COSArray();
        ids.add(new COSString(id));
        ids.add(new COSString(id));
        pdf.getDocument().setDocumentID(ids);
    }

    /** The request time, to the second (the document information's dates have no finer unit). */
    private static Calendar date(ReportHeader header) {
        GregorianCalendar date = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
        date.setTimeInMillis(header.requestedAt().truncatedTo(ChronoUnit.SECONDS).toEpochMilli());
        return date;
    }

    static String description(ReportHeader h) {
        return "Stenographer report " + h.reportId() + " (" + h.type().wireName() + ") of tenant " + h.tenant().value()
                + ", requested by " + h.requestedBy() + "; query " + CanonicalJson.canonicalize(h.query())
                + "; pinned to the signed checkpoint of " + h.checkpoint().checkpoint().origin() + " at tree size "
                + h.checkpoint().treeSize() + ", root hash " + h.checkpoint().checkpoint().rootHash().base64();
    }

    private static void metadata(PDDocument pdf, ReportHeader h, Calendar date) throws IOException {
        String title = h.title() + " " + h.reportId();
        String description = description(h);
        String keywords = "stenographer; audit report; " + h.type().wireName() + "; " + h.reportId();
        XMPMetadata xmp = XMPMetadata.createXMPMetadata();
        DublinCoreSchema dc = xmp.createAndAddDublinCoreSchema();
        dc.setTitle(title);
        dc.addDescription(null, description);
        dc.setIdentifier(h.reportId());
        dc.setSource(h.checkpoint().signedNote());
        dc.addRelation("checkpoint " + h.checkpoint().checkpoint().origin() + " " + h.checkpoint().treeSize() + " "
                + h.checkpoint().checkpoint().rootHash().base64());
        dc.addRelation("verifier-key " + h.verifierKey());
        XMPBasicSchema basic = xmp.createAndAddXMPBasicSchema();
        basic.setCreatorTool(GENERATOR);
        basic.setCreateDate(date);
        basic.setModifyDate(date);
        basic.setMetadataDate(date);
        AdobePDFSchema adobe = xmp.createAndAddAdobePDFSchema();
        adobe.setProducer(PRODUCER);
        adobe.setKeywords(keywords);
        PDFAIdentificationSchema pdfa = xmp.createAndAddPDFAIdentificationSchema();
        pdfa.setPart(3);
        try {
            pdfa.setConformance("B");
        } catch (BadFieldValueException e) {
            throw new IllegalStateException("B is a PDF/A conformance level", e);
        }
        ByteArrayOutputStream serialized = new ByteArrayOutputStream();
        try {
            new XmpSerializer().serialize(xmp, serialized, true);
        } catch (TransformerException e) {
            throw new IOException("cannot write the report's XMP metadata", e);
        }
        PDMetadata metadata = new PDMetadata(pdf);
        metadata.importXMPMetadata(serialized.toByteArray());
        pdf.getDocumentCatalog().setMetadata(metadata);
        // The document information must say what the XMP says (PDF/A-3, 6.6.3).
        PDDocumentInformation info = pdf.getDocumentInformation();
        info.setTitle(title);
        info.setSubject(description);
        info.setKeywords(keywords);
        info.setCreator(GENERATOR);
        info.setProducer(PRODUCER);
        info.setCreationDate(date);
        info.setModificationDate(date);
    }

    private static void outputIntent(PDDocument pdf) throws IOException {
        byte[] srgb = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
        PDOutputIntent intent = new PDOutputIntent(pdf, new ByteArrayInputStream(srgb));
        intent.setInfo("sRGB IEC61966-2.1");
        intent.setOutputCondition("sRGB IEC61966-2.1");
        intent.setOutputConditionIdentifier("sRGB IEC61966-2.1");
        intent.setRegistryName("http://www.color.org");
        pdf.getDocumentCatalog().addOutputIntent(intent);
    }

    /**
     * The bundle, staged in an owner-only file (it can be large) in {@code scratch} (the JVM's temporary directory when
     * null), embedded as an associated file.
     */
    private static void attach(PDDocument pdf, RenderReportPort.Bundle bundle, Calendar date, Path scratch)
            throws IOException {
        FileAttribute<?> ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
        Path staged = scratch == null ? Files.createTempFile("stenographer-report-bundle", ".zip", ownerOnly)
                : Files.createTempFile(scratch, "report-bundle-", ".zip", ownerOnly);
        try {
            try (OutputStream out = Files.newOutputStream(staged)) {
                bundle.writeTo(out);
            }
            if (Files.size(staged) > Integer.MAX_VALUE) {
                throw new IOException("the report's bundle is larger than a PDF attachment's 2 GiB size entry; request"
                        + " it in the bundle format");
            }
            PDEmbeddedFile file;
            try (InputStream in = Files.newInputStream(staged)) {
                file = new PDEmbeddedFile(pdf, in);
            }
            file.setSubtype("application/zip");
            file.setSize((int) Files.size(staged));
            file.setCreationDate(date);
            file.setModDate(date);
            PDComplexFileSpecification spec = new PDComplexFileSpecification();
            spec.setFile(RenderReportPort.BUNDLE_ATTACHMENT);
            spec.setFileUnicode(RenderReportPort.BUNDLE_ATTACHMENT);
            spec.setEmbeddedFile(file);
            spec.setEmbeddedFileUnicode(file);
            spec.setFileDescription("The report's verifiable bundle: every event in full, the signed checkpoint,"
                    + " inclusion proofs and a signed manifest");
            spec.getCOSObject().setName(COSName.getPDFName("AFRelationship"), "Data");
            PDEmbeddedFilesNameTreeNode files = new PDEmbeddedFilesNameTreeNode();
            files.setNames(Map.of(RenderReportPort.BUNDLE_ATTACHMENT, spec));
            PDDocumentCatalog catalog = pdf.getDocumentCatalog();
            PDDocumentNameDictionary names = new PDDocumentNameDictionary(catalog);
            names.setEmbeddedFiles(files);
            catalog.setNames(names);
            COSArray associated = new COSArray();
            associated.add(spec);
            catalog.getCOSObject().setItem(COSName.getPDFName("AF"), associated);
        } finally {
            Files.deleteIfExists(staged);
        }
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
