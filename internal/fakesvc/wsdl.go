package fakesvc

import (
	"bytes"
	"fmt"
	"sync"
)

// The fake WSDL has the root, namespaces and name that the real SVC is known
// to have (ARCHITECTURE.md §1); its operations are invented, sized so the document
// weighs about 30 KB like a real JAX-WS WSDL with its inline schema.
var (
	wsdlOnce    sync.Once
	wsdl        []byte
	foreignOnce sync.Once
	foreign     []byte
)

// Operations of the fake service (names are illustrative, not DJP's).
var operations = []string{
	"getMasterFaktur", "getMasterLawanTransaksi", "getMasterBarangJasa", "getReferensiKode",
	"uploadFakturKeluaran", "uploadFakturMasukan", "uploadReturKeluaran", "uploadReturMasukan",
	"getStatusApproval", "getNomorSeri", "requestNsfp", "getSertifikat", "validasiNpwp",
	"getInfoWajibPajak", "getTanggalServer",
}

// WSDL returns the fake service's WSDL document (do not modify it).
func WSDL() []byte {
	wsdlOnce.Do(func() {
		wsdl = buildWSDL("http://ws.services.etaxinvoice.pajak.go.id/", "endpoint/MasterFakturService", operations)
	})
	return wsdl
}

// ForeignWSDL is a valid WSDL of some other service (wrong targetNamespace):
// what a misconfigured address or a mirrored test server might return.
func ForeignWSDL() []byte {
	foreignOnce.Do(func() {
		foreign = buildWSDL("http://example.com/weather/", "WeatherService", operations[:3])
	})
	return foreign
}

func buildWSDL(tns, name string, ops []string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `<?xml version='1.0' encoding='UTF-8'?>
<!-- Published by JAX-WS RI. RI's version is JAX-WS RI 2.2.10. -->
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:tns="%[1]s" targetNamespace="%[1]s" name="%[2]s">
  <wsdl:types>
    <xsd:schema targetNamespace="%[1]s" elementFormDefault="unqualified" version="1.0">
`, tns, name)
	for _, op := range ops {
		fmt.Fprintf(&b, `      <xsd:element name="%[1]s" type="tns:%[1]s"/>
      <xsd:element name="%[1]sResponse" type="tns:%[1]sResponse"/>
      <xsd:complexType name="%[1]s">
        <xsd:sequence>
          <xsd:element name="npwp" type="xsd:string" minOccurs="0"/>
          <xsd:element name="kodeCabang" type="xsd:string" minOccurs="0"/>
          <xsd:element name="tahunPajak" type="xsd:int"/>
          <xsd:element name="masaPajak" type="xsd:int"/>
          <xsd:element name="token" type="xsd:string" minOccurs="0"/>
          <xsd:element name="payload" type="xsd:base64Binary" nillable="true" minOccurs="0"/>
        </xsd:sequence>
      </xsd:complexType>
      <xsd:complexType name="%[1]sResponse">
        <xsd:sequence>
          <xsd:element name="return" type="tns:hasil%[1]s" minOccurs="0"/>
        </xsd:sequence>
      </xsd:complexType>
      <xsd:complexType name="hasil%[1]s">
        <xsd:sequence>
          <xsd:element name="kode" type="xsd:string" minOccurs="0"/>
          <xsd:element name="pesan" type="xsd:string" minOccurs="0"/>
          <xsd:element name="data" type="xsd:base64Binary" nillable="true" minOccurs="0"/>
        </xsd:sequence>
      </xsd:complexType>
`, op)
	}
	b.WriteString("    </xsd:schema>\n  </wsdl:types>\n")
	for _, op := range ops {
		fmt.Fprintf(&b, `  <wsdl:message name="%[1]s"><wsdl:part name="parameters" element="tns:%[1]s"/></wsdl:message>
  <wsdl:message name="%[1]sResponse"><wsdl:part name="parameters" element="tns:%[1]sResponse"/></wsdl:message>
`, op)
	}
	b.WriteString("  <wsdl:portType name=\"MasterFaktur\">\n")
	for _, op := range ops {
		fmt.Fprintf(&b, `    <wsdl:operation name="%[1]s"><wsdl:input message="tns:%[1]s"/><wsdl:output message="tns:%[1]sResponse"/></wsdl:operation>
`, op)
	}
	b.WriteString("  </wsdl:portType>\n  <wsdl:binding name=\"MasterFakturPortBinding\" type=\"tns:MasterFaktur\">\n    <soap:binding transport=\"http://schemas.xmlsoap.org/soap/http\" style=\"document\"/>\n")
	for _, op := range ops {
		fmt.Fprintf(&b, `    <wsdl:operation name="%[1]s"><soap:operation soapAction=""/><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>
`, op)
	}
	fmt.Fprintf(&b, `  </wsdl:binding>
  <wsdl:service name="%s">
    <wsdl:port name="MasterFakturPort" binding="tns:MasterFakturPortBinding"><soap:address location="https://svc.efaktur.pajak.go.id/svc/MasterFakturService"/></wsdl:port>
  </wsdl:service>
</wsdl:definitions>
`, name)
	return b.Bytes()
}
