#include "xml_doc.hpp"

#include <expat.h>

#include <cstdlib>
#include <sstream>

namespace vethlab::testing {

std::string XmlNode::attr(const std::string& key) const {
    auto it = attrs.find(key);
    return it == attrs.end() ? "" : it->second;
}

double XmlNode::number(const std::string& key) const { return std::strtod(attr(key).c_str(), nullptr); }

bool XmlNode::has_class(const std::string& cls) const {
    std::istringstream words(attr("class"));
    for (std::string w; words >> w;)
        if (w == cls) return true;
    return false;
}

std::vector<const XmlNode*> XmlNode::find_all(const std::string& tag, const std::string& cls) const {
    std::vector<const XmlNode*> out;
    if (name == tag && (cls.empty() || has_class(cls))) out.push_back(this);
    for (const auto& c : children) {
        auto sub = c->find_all(tag, cls);
        out.insert(out.end(), sub.begin(), sub.end());
    }
    return out;
}

namespace {

struct Builder {
    std::unique_ptr<XmlNode> root;
    std::vector<XmlNode*> open;
};

void on_start(void* data, const XML_Char* name, const XML_Char** attrs) {
    auto& b = *static_cast<Builder*>(data);
    auto node = std::make_unique<XmlNode>();
    node->name = name;
    for (size_t i = 0; attrs[i]; i += 2) node->attrs[attrs[i]] = attrs[i + 1];
    XmlNode* raw = node.get();
    if (b.open.empty()) b.root = std::move(node);
    else b.open.back()->children.push_back(std::move(node));
    b.open.push_back(raw);
}

void on_end(void* data, const XML_Char*) { static_cast<Builder*>(data)->open.pop_back(); }

void on_text(void* data, const XML_Char* s, int len) {
    auto& b = *static_cast<Builder*>(data);
    if (!b.open.empty()) b.open.back()->text.append(s, size_t(len));
}

}  // namespace

XmlParse parse_xml(const std::string& text) {
    Builder b;
    XML_Parser p = XML_ParserCreate("UTF-8");
    XML_SetUserData(p, &b);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    XmlParse out;
    if (XML_Parse(p, text.data(), int(text.size()), 1) == XML_STATUS_ERROR)
        out.error = std::string(XML_ErrorString(XML_GetErrorCode(p))) + " at line " +
                    std::to_string(XML_GetCurrentLineNumber(p));
    else out.root = std::move(b.root);
    XML_ParserFree(p);
    return out;
}

}  // namespace vethlab::testing
