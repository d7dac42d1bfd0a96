package gen

import "strings"

// The word lists names are made of, as constants (split once per run by newVocab) so the
// package holds no mutable state.
const (
	companyStems = "Northwind;Globex;Initech;Umbrella;Stark;Wayne;Acme;Hooli;Vandelay;Soylent;Tyrell;" +
		"Cyberdyne;Wonka;Gringotts;Oscorp;Aperture;Blue Sun;Monarch;Massive;Pied Piper;Dunder;Sterling;" +
		"Prestige;Gekko;Nakatomi;Virtucon;Zorin;Ollivander;Bluth;Krusty;Duff;Buy More;Kramerica;Contoso;" +
		"Fabrikam;Tailspin;Wingtip;Adventure Works;Litware;Proseware;Lucerne;Margie;Alpine;Coho;Fourth Coffee;" +
		"Humongous;Trey;Woodgrove;Graphic;Southridge;Halcyon;Meridian;Evergreen;Summit;Harbor;Pinnacle;" +
		"Silverline;Redwood;Ironbridge;Lakeside;Crescent;Bright Path;Keystone;Orchard;Granite;Cobalt"
	companyTrades = "Analytics;Logistics;Health;Capital;Foods;Energy;Systems;Media;Partners;Labs;Retail;" +
		"Manufacturing;Pharma;Robotics;Textiles;Aviation;Insurance;Networks;Studios;Brewing;Motors;Mining;" +
		"Software;Holdings;Bank;Hotels;Outfitters;Dynamics;Ventures;Marine;Farms;Construction"
	companyForms = "Inc;LLC;Ltd;GmbH;Group;Corp;AG;SA;Co"
	industries   = "Technology;Healthcare;Financial services;Retail;Manufacturing;Energy;Education;" +
		"Logistics;Hospitality;Public sector;Media;Non-profit;Real estate;Telecommunications"
	sources    = "Referral;Website;Conference;Outbound;Partner;LinkedIn;Existing relationship"
	firstNames = "Olivia;Liam;Emma;Noah;Ava;Oliver;Sophia;Elijah;Isabella;James;Mia;William;Amelia;" +
		"Benjamin;Harper;Lucas;Evelyn;Henry;Abigail;Theodore;Priya;Arjun;Mei;Hiroshi;Fatima;Omar;Lena;" +
		"Jonas;Chloe;Mateo;Sofia;Diego;Aisha;Kwame;Ingrid;Lars;Elena;Marco;Zoe;Samuel"
	lastNames = "Smith;Johnson;Williams;Brown;Jones;Garcia;Miller;Davis;Rodriguez;Martinez;Hernandez;" +
		"Lopez;Wilson;Anderson;Thomas;Taylor;Moore;Jackson;Martin;Lee;Patel;Nguyen;Kim;Tanaka;Schmidt;" +
		"Müller;Rossi;Dubois;Okafor;Mensah;Novak;Larsen;Silva;Costa;Cohen;Ali;Khan;O'Brien;Murphy;Walsh"
	places = "Boston,MA,US;Austin,TX,US;Chicago,IL,US;Denver,CO,US;Seattle,WA,US;Atlanta,GA,US;" +
		"New York,NY,US;San Francisco,CA,US;Toronto,ON,CA;London,,GB;Manchester,,GB;Berlin,,DE;" +
		"Munich,,DE;Paris,,FR;Lyon,,FR;Madrid,,ES;Milan,,IT;Amsterdam,,NL;Dublin,,IE;Stockholm,,SE"
	streets    = "Main Street;Oak Avenue;Market Street;High Street;Harbor Road;Park Lane;Mill Road;Station Road"
	areas      = "Finance;Supply chain;Sales;HR;Data platform;Cloud;Security;Marketing;Customer service;Procurement;Pricing;Operations;ERP;CRM;Analytics"
	deliveries = "assessment;roadmap;migration;implementation;audit;optimisation;rollout;redesign;due diligence;training programme;strategy;integration"
	taskTitles = "Kick-off workshop;Stakeholder interviews;Current-state analysis;Requirements document;" +
		"Solution design;Data extraction;Build prototype;User acceptance testing;Training materials;" +
		"Go-live support;Steering committee deck;Final report;Risk register;Budget review;Vendor evaluation;" +
		"Process mapping;KPI dashboard;Change management plan;Handover;Retrospective;Data cleansing;" +
		"Integration tests;Security review;Cost model;Benchmark study"
	activities = "Client meeting;Analysis;Documentation;Workshop preparation;Workshop;Internal review;" +
		"Travel;Calls and email;Data modelling;Slide deck;Follow-up;Research;Testing;Configuration;" +
		"Report writing;Interviews;Planning;Quality review"
)

// vocab holds the word lists for one run.
type vocab struct {
	stems, trades, forms, industries, sources []string
	firstNames, lastNames, places, streets    []string
	areas, deliveries, taskTitles, activities []string
}

// newVocab splits the word lists.
func newVocab() vocab {
	s := func(list string) []string { return strings.Split(list, ";") }
	return vocab{
		stems: s(companyStems), trades: s(companyTrades), forms: s(companyForms),
		industries: s(industries), sources: s(sources), firstNames: s(firstNames), lastNames: s(lastNames),
		places: s(places), streets: s(streets), areas: s(areas), deliveries: s(deliveries),
		taskTitles: s(taskTitles), activities: s(activities),
	}
}

// slug is a lower-case, letters-and-digits-only form of s, for email domains and usernames.
func slug(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	return b.String()
}
