from django import template

from core.structured_data import breadcrumb_list, script_json

register = template.Library()


@register.simple_tag
def breadcrumb_json_ld(crumbs):
    return script_json(breadcrumb_list(crumbs))
