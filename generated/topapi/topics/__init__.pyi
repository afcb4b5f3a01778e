"""The types of topapi.topics: `payload_type` knows each topic's payload class."""

from typing import Literal, overload

from topapi._topic import ContentError as ContentError
from topapi._topic import Direction as Direction
from topapi._topic import TopicPayload as TopicPayload
from topapi._topic import decode as decode
from topapi._topic import decode_data as decode_data
from topapi.topics import alibaba_idle_apply_info_syn as _alibaba_idle_apply_info_syn
from topapi.topics import (
    alibaba_idle_house_status_notify as _alibaba_idle_house_status_notify,
)
from topapi.topics import alibaba_idle_isv_item_change as _alibaba_idle_isv_item_change
from topapi.topics import (
    alibaba_idle_isv_order_change as _alibaba_idle_isv_order_change,
)
from topapi.topics import (
    alibaba_idle_isv_relation_change as _alibaba_idle_isv_relation_change,
)
from topapi.topics import (
    alibaba_idle_isv_reverse_order_change as _alibaba_idle_isv_reverse_order_change,
)
from topapi.topics import (
    alibaba_idle_job_item_change_status_notify as _alibaba_idle_job_item_change_status_notify,
)
from topapi.topics import (
    alibaba_idle_local_im_bind_status_syn as _alibaba_idle_local_im_bind_status_syn,
)
from topapi.topics import (
    alibaba_idle_local_lead_confirm_syn as _alibaba_idle_local_lead_confirm_syn,
)
from topapi.topics import (
    alibaba_idle_local_message_notify as _alibaba_idle_local_message_notify,
)
from topapi.topics import idle_agreement_status_change as _idle_agreement_status_change
from topapi.topics import idle_appraiseisv_item_syn as _idle_appraiseisv_item_syn
from topapi.topics import idle_appraiseisv_order_syn as _idle_appraiseisv_order_syn
from topapi.topics import idle_appraiseisv_refund_syn as _idle_appraiseisv_refund_syn
from topapi.topics import (
    idle_autotrade_order_state_sync as _idle_autotrade_order_state_sync,
)
from topapi.topics import idle_autotrade_refund_sync as _idle_autotrade_refund_sync
from topapi.topics import idle_consignment_order_syn as _idle_consignment_order_syn
from topapi.topics import idle_consignmentii_order_syn as _idle_consignmentii_order_syn
from topapi.topics import idle_cro_punish_msg as _idle_cro_punish_msg
from topapi.topics import idle_cycleshop_goods_notice as _idle_cycleshop_goods_notice
from topapi.topics import (
    idle_cycleshop_sale_order_notice as _idle_cycleshop_sale_order_notice,
)
from topapi.topics import (
    idle_distribution_item_change as _idle_distribution_item_change,
)
from topapi.topics import idle_eticket_item_expire as _idle_eticket_item_expire
from topapi.topics import idle_eticket_ordermsg as _idle_eticket_ordermsg
from topapi.topics import (
    idle_fishmarket_after_sale_perform as _idle_fishmarket_after_sale_perform,
)
from topapi.topics import (
    idle_fishmarket_buyer_bid_notify as _idle_fishmarket_buyer_bid_notify,
)
from topapi.topics import (
    idle_fishmarket_buyer_order_state_syn as _idle_fishmarket_buyer_order_state_syn,
)
from topapi.topics import (
    idle_fishmarket_item_auction_state_syn as _idle_fishmarket_item_auction_state_syn,
)
from topapi.topics import (
    idle_fishmarket_item_state_syn as _idle_fishmarket_item_state_syn,
)
from topapi.topics import (
    idle_fishmarket_tender_auto_auction_msg as _idle_fishmarket_tender_auto_auction_msg,
)
from topapi.topics import (
    idle_fishmarket_vendue_state_syn as _idle_fishmarket_vendue_state_syn,
)
from topapi.topics import (
    idle_fishmarketfixed_order_syn as _idle_fishmarketfixed_order_syn,
)
from topapi.topics import (
    idle_gameboost_order_state_sync as _idle_gameboost_order_state_sync,
)
from topapi.topics import idle_luxconsign_order_notice as _idle_luxconsign_order_notice
from topapi.topics import (
    idle_newoutlets_user_tag_notice as _idle_newoutlets_user_tag_notice,
)
from topapi.topics import idle_recycle_order_state_syn as _idle_recycle_order_state_syn
from topapi.topics import idle_recycle_order_syn as _idle_recycle_order_syn
from topapi.topics import (
    idle_recycle_refund_status_modify as _idle_recycle_refund_status_modify,
)
from topapi.topics import idle_recycle_store_syn as _idle_recycle_store_syn
from topapi.topics import (
    idle_seller_improve_pack_order as _idle_seller_improve_pack_order,
)
from topapi.topics import (
    idle_seller_jishi_ai_generate_item_desc as _idle_seller_jishi_ai_generate_item_desc,
)
from topapi.topics import idle_seller_pro_shop_status as _idle_seller_pro_shop_status
from topapi.topics import (
    idle_topisv_compensate_notice as _idle_topisv_compensate_notice,
)
from topapi.topics import (
    idle_topisv_global_product_notice as _idle_topisv_global_product_notice,
)
from topapi.topics import idle_topisv_item_notice as _idle_topisv_item_notice
from topapi.topics import idle_topisv_refund_notice as _idle_topisv_refund_notice
from topapi.topics import idle_topisv_trade_notice as _idle_topisv_trade_notice
from topapi.topics import idle_trade_address_modify as _idle_trade_address_modify
from topapi.topics import (
    idle_trade_trade_rete_success as _idle_trade_trade_rete_success,
)
from topapi.topics import idle_tranferpay_order_change as _idle_tranferpay_order_change
from topapi.topics import idle_twjd_order_syn as _idle_twjd_order_syn
from topapi.topics import (
    taobao_fenxiao_fx_refund_success as _taobao_fenxiao_fx_refund_success,
)
from topapi.topics import (
    taobao_item_audit_result_notify as _taobao_item_audit_result_notify,
)
from topapi.topics import (
    taobao_item_distribute_item_edit as _taobao_item_distribute_item_edit,
)
from topapi.topics import taobao_item_item_add as _taobao_item_item_add
from topapi.topics import taobao_item_item_delete as _taobao_item_item_delete
from topapi.topics import taobao_item_item_downshelf as _taobao_item_item_downshelf
from topapi.topics import (
    taobao_item_item_offline_notice as _taobao_item_item_offline_notice,
)
from topapi.topics import taobao_item_item_punish_cc as _taobao_item_item_punish_cc
from topapi.topics import (
    taobao_item_item_punish_delete as _taobao_item_item_punish_delete,
)
from topapi.topics import (
    taobao_item_item_punish_downshelf as _taobao_item_item_punish_downshelf,
)
from topapi.topics import (
    taobao_item_item_recommend_add as _taobao_item_item_recommend_add,
)
from topapi.topics import (
    taobao_item_item_recommend_delete as _taobao_item_item_recommend_delete,
)
from topapi.topics import (
    taobao_item_item_sku_zero_stock as _taobao_item_item_sku_zero_stock,
)
from topapi.topics import (
    taobao_item_item_stock_changed as _taobao_item_item_stock_changed,
)
from topapi.topics import (
    taobao_item_item_stock_changed_out as _taobao_item_item_stock_changed_out,
)
from topapi.topics import taobao_item_item_update as _taobao_item_item_update
from topapi.topics import taobao_item_item_upshelf as _taobao_item_item_upshelf
from topapi.topics import taobao_item_item_zero_stock as _taobao_item_item_zero_stock
from topapi.topics import (
    taobao_item_reserve_card_identify as _taobao_item_reserve_card_identify,
)
from topapi.topics import (
    taobao_refund_order_status_sync as _taobao_refund_order_status_sync,
)
from topapi.topics import (
    taobao_refund_refund_block_message as _taobao_refund_refund_block_message,
)
from topapi.topics import (
    taobao_refund_refund_buyer_modify_agreement as _taobao_refund_refund_buyer_modify_agreement,
)
from topapi.topics import (
    taobao_refund_refund_buyer_return_goods as _taobao_refund_refund_buyer_return_goods,
)
from topapi.topics import taobao_refund_refund_closed as _taobao_refund_refund_closed
from topapi.topics import (
    taobao_refund_refund_create_message as _taobao_refund_refund_create_message,
)
from topapi.topics import taobao_refund_refund_created as _taobao_refund_refund_created
from topapi.topics import (
    taobao_refund_refund_seller_agree_agreement as _taobao_refund_refund_seller_agree_agreement,
)
from topapi.topics import (
    taobao_refund_refund_seller_refuse_agreement as _taobao_refund_refund_seller_refuse_agreement,
)
from topapi.topics import taobao_refund_refund_success as _taobao_refund_refund_success
from topapi.topics import (
    taobao_refund_refund_timeout_remind as _taobao_refund_refund_timeout_remind,
)
from topapi.topics import (
    taobao_refund_refundable_canceled as _taobao_refund_refundable_canceled,
)
from topapi.topics import (
    taobao_refund_refundable_marked as _taobao_refund_refundable_marked,
)
from topapi.topics import (
    taobao_refund_taobao_inter_applied as _taobao_refund_taobao_inter_applied,
)
from topapi.topics import (
    taobao_refund_taobao_intervened as _taobao_refund_taobao_intervened,
)
from topapi.topics import (
    taobao_trade_advance_disburse as _taobao_trade_advance_disburse,
)
from topapi.topics import (
    taobao_trade_door_installsettle as _taobao_trade_door_installsettle,
)
from topapi.topics import taobao_trade_five_api as _taobao_trade_five_api
from topapi.topics import taobao_trade_open_trade_push as _taobao_trade_open_trade_push
from topapi.topics import (
    taobao_trade_order_sku_changed as _taobao_trade_order_sku_changed,
)
from topapi.topics import taobao_trade_second_api as _taobao_trade_second_api
from topapi.topics import taobao_trade_test as _taobao_trade_test
from topapi.topics import taobao_trade_test_four as _taobao_trade_test_four
from topapi.topics import taobao_trade_third_api as _taobao_trade_third_api
from topapi.topics import (
    taobao_trade_trade_alipay_create as _taobao_trade_trade_alipay_create,
)
from topapi.topics import taobao_trade_trade_buyer_pay as _taobao_trade_trade_buyer_pay
from topapi.topics import (
    taobao_trade_trade_buyer_pay_sub_out as _taobao_trade_trade_buyer_pay_sub_out,
)
from topapi.topics import (
    taobao_trade_trade_buyer_step_pay as _taobao_trade_trade_buyer_step_pay,
)
from topapi.topics import taobao_trade_trade_changed as _taobao_trade_trade_changed
from topapi.topics import taobao_trade_trade_close as _taobao_trade_trade_close
from topapi.topics import (
    taobao_trade_trade_close_and_modify_detail_order as _taobao_trade_trade_close_and_modify_detail_order,
)
from topapi.topics import taobao_trade_trade_create as _taobao_trade_trade_create
from topapi.topics import (
    taobao_trade_trade_create_delay as _taobao_trade_trade_create_delay,
)
from topapi.topics import taobao_trade_trade_createss as _taobao_trade_trade_createss
from topapi.topics import (
    taobao_trade_trade_delay_confirm_pay as _taobao_trade_trade_delay_confirm_pay,
)
from topapi.topics import (
    taobao_trade_trade_logistics_address_changed as _taobao_trade_trade_logistics_address_changed,
)
from topapi.topics import (
    taobao_trade_trade_memo_modified as _taobao_trade_trade_memo_modified,
)
from topapi.topics import (
    taobao_trade_trade_modify_fee as _taobao_trade_trade_modify_fee,
)
from topapi.topics import (
    taobao_trade_trade_partly_confirm_pay as _taobao_trade_trade_partly_confirm_pay,
)
from topapi.topics import (
    taobao_trade_trade_partly_refund as _taobao_trade_trade_partly_refund,
)
from topapi.topics import (
    taobao_trade_trade_partly_seller_ship as _taobao_trade_trade_partly_seller_ship,
)
from topapi.topics import (
    taobao_trade_trade_period_success as _taobao_trade_trade_period_success,
)
from topapi.topics import taobao_trade_trade_rated as _taobao_trade_trade_rated
from topapi.topics import taobao_trade_trade_rated_out as _taobao_trade_trade_rated_out
from topapi.topics import (
    taobao_trade_trade_seller_ship as _taobao_trade_trade_seller_ship,
)
from topapi.topics import taobao_trade_trade_success as _taobao_trade_trade_success
from topapi.topics import (
    taobao_trade_trade_success_delay as _taobao_trade_trade_success_delay,
)
from topapi.topics import (
    taobao_trade_trade_timeout_remind as _taobao_trade_trade_timeout_remind,
)
from topapi.topics import taobao_trade_zhihan as _taobao_trade_zhihan

REGISTRY: dict[str, tuple[str, str]]

@overload
def payload_type(
    topic: Literal["alibaba_idle_ApplyInfoSyn"],
) -> type[_alibaba_idle_apply_info_syn.ApplyInfoSyn]: ...
@overload
def payload_type(
    topic: Literal["alibaba_idle_HouseStatusNotify"],
) -> type[_alibaba_idle_house_status_notify.HouseStatusNotify]: ...
@overload
def payload_type(
    topic: Literal["alibaba_idle_ISVItemChange"],
) -> type[_alibaba_idle_isv_item_change.ISVItemChange]: ...
@overload
def payload_type(
    topic: Literal["alibaba_idle_ISVOrderChange"],
) -> type[_alibaba_idle_isv_order_change.ISVOrderChange]: ...
@overload
def payload_type(
    topic: Literal["alibaba_idle_ISVRelationChange"],
) -> type[_alibaba_idle_isv_relation_change.ISVRelationChange]: ...
@overload
def payload_type(
    topic: Literal["alibaba_idle_ISVReverseOrderChange"],
) -> type[_alibaba_idle_isv_reverse_order_change.ISVReverseOrderChange]: ...
@overload
def payload_type(
    topic: Literal["alibaba_idle_JobItemChangeStatusNotify"],
) -> type[_alibaba_idle_job_item_change_status_notify.JobItemChangeStatusNotify]: ...
@overload
def payload_type(
    topic: Literal["alibaba_idle_LocalIMBindStatusSyn"],
) -> type[_alibaba_idle_local_im_bind_status_syn.LocalIMBindStatusSyn]: ...
@overload
def payload_type(
    topic: Literal["alibaba_idle_LocalLeadConfirmSyn"],
) -> type[_alibaba_idle_local_lead_confirm_syn.LocalLeadConfirmSyn]: ...
@overload
def payload_type(
    topic: Literal["alibaba_idle_LocalMessageNotify"],
) -> type[_alibaba_idle_local_message_notify.LocalMessageNotify]: ...
@overload
def payload_type(
    topic: Literal["idle_agreement_StatusChange"],
) -> type[_idle_agreement_status_change.StatusChange]: ...
@overload
def payload_type(
    topic: Literal["idle_appraiseisv_ItemSyn"],
) -> type[_idle_appraiseisv_item_syn.ItemSyn]: ...
@overload
def payload_type(
    topic: Literal["idle_appraiseisv_OrderSyn"],
) -> type[_idle_appraiseisv_order_syn.OrderSyn]: ...
@overload
def payload_type(
    topic: Literal["idle_appraiseisv_RefundSyn"],
) -> type[_idle_appraiseisv_refund_syn.RefundSyn]: ...
@overload
def payload_type(
    topic: Literal["idle_autotrade_OrderStateSync"],
) -> type[_idle_autotrade_order_state_sync.OrderStateSync]: ...
@overload
def payload_type(
    topic: Literal["idle_autotrade_RefundSync"],
) -> type[_idle_autotrade_refund_sync.RefundSync]: ...
@overload
def payload_type(
    topic: Literal["idle_consignment_OrderSyn"],
) -> type[_idle_consignment_order_syn.OrderSyn]: ...
@overload
def payload_type(
    topic: Literal["idle_consignmentii_OrderSyn"],
) -> type[_idle_consignmentii_order_syn.OrderSyn]: ...
@overload
def payload_type(
    topic: Literal["idle_cro_PunishMsg"],
) -> type[_idle_cro_punish_msg.PunishMsg]: ...
@overload
def payload_type(
    topic: Literal["idle_cycleshop_GoodsNotice"],
) -> type[_idle_cycleshop_goods_notice.GoodsNotice]: ...
@overload
def payload_type(
    topic: Literal["idle_cycleshop_SaleOrderNotice"],
) -> type[_idle_cycleshop_sale_order_notice.SaleOrderNotice]: ...
@overload
def payload_type(
    topic: Literal["idle_distribution_ItemChange"],
) -> type[_idle_distribution_item_change.ItemChange]: ...
@overload
def payload_type(
    topic: Literal["idle_eticket_ItemExpire"],
) -> type[_idle_eticket_item_expire.ItemExpire]: ...
@overload
def payload_type(
    topic: Literal["idle_eticket_Ordermsg"],
) -> type[_idle_eticket_ordermsg.Ordermsg]: ...
@overload
def payload_type(
    topic: Literal["idle_fishmarket_AfterSalePerform"],
) -> type[_idle_fishmarket_after_sale_perform.AfterSalePerform]: ...
@overload
def payload_type(
    topic: Literal["idle_fishmarket_BuyerBidNotify"],
) -> type[_idle_fishmarket_buyer_bid_notify.BuyerBidNotify]: ...
@overload
def payload_type(
    topic: Literal["idle_fishmarket_BuyerOrderStateSyn"],
) -> type[_idle_fishmarket_buyer_order_state_syn.BuyerOrderStateSyn]: ...
@overload
def payload_type(
    topic: Literal["idle_fishmarket_ItemAuctionStateSyn"],
) -> type[_idle_fishmarket_item_auction_state_syn.ItemAuctionStateSyn]: ...
@overload
def payload_type(
    topic: Literal["idle_fishmarket_ItemStateSyn"],
) -> type[_idle_fishmarket_item_state_syn.ItemStateSyn]: ...
@overload
def payload_type(
    topic: Literal["idle_fishmarket_TenderAutoAuctionMsg"],
) -> type[_idle_fishmarket_tender_auto_auction_msg.TenderAutoAuctionMsg]: ...
@overload
def payload_type(
    topic: Literal["idle_fishmarket_VendueStateSyn"],
) -> type[_idle_fishmarket_vendue_state_syn.VendueStateSyn]: ...
@overload
def payload_type(
    topic: Literal["idle_fishmarketfixed_OrderSyn"],
) -> type[_idle_fishmarketfixed_order_syn.OrderSyn]: ...
@overload
def payload_type(
    topic: Literal["idle_gameboost_OrderStateSync"],
) -> type[_idle_gameboost_order_state_sync.OrderStateSync]: ...
@overload
def payload_type(
    topic: Literal["idle_luxconsign_OrderNotice"],
) -> type[_idle_luxconsign_order_notice.OrderNotice]: ...
@overload
def payload_type(
    topic: Literal["idle_newoutlets_UserTagNotice"],
) -> type[_idle_newoutlets_user_tag_notice.UserTagNotice]: ...
@overload
def payload_type(
    topic: Literal["idle_recycle_OrderStateSyn"],
) -> type[_idle_recycle_order_state_syn.OrderStateSyn]: ...
@overload
def payload_type(
    topic: Literal["idle_recycle_OrderSyn"],
) -> type[_idle_recycle_order_syn.OrderSyn]: ...
@overload
def payload_type(
    topic: Literal["idle_recycle_RefundStatusModify"],
) -> type[_idle_recycle_refund_status_modify.RefundStatusModify]: ...
@overload
def payload_type(
    topic: Literal["idle_recycle_StoreSyn"],
) -> type[_idle_recycle_store_syn.StoreSyn]: ...
@overload
def payload_type(
    topic: Literal["idle_seller_ImprovePackOrder"],
) -> type[_idle_seller_improve_pack_order.ImprovePackOrder]: ...
@overload
def payload_type(
    topic: Literal["idle_seller_JishiAiGenerateItemDesc"],
) -> type[_idle_seller_jishi_ai_generate_item_desc.JishiAiGenerateItemDesc]: ...
@overload
def payload_type(
    topic: Literal["idle_seller_ProShopStatus"],
) -> type[_idle_seller_pro_shop_status.ProShopStatus]: ...
@overload
def payload_type(
    topic: Literal["idle_topisv_CompensateNotice"],
) -> type[_idle_topisv_compensate_notice.CompensateNotice]: ...
@overload
def payload_type(
    topic: Literal["idle_topisv_GlobalProductNotice"],
) -> type[_idle_topisv_global_product_notice.GlobalProductNotice]: ...
@overload
def payload_type(
    topic: Literal["idle_topisv_ItemNotice"],
) -> type[_idle_topisv_item_notice.ItemNotice]: ...
@overload
def payload_type(
    topic: Literal["idle_topisv_RefundNotice"],
) -> type[_idle_topisv_refund_notice.RefundNotice]: ...
@overload
def payload_type(
    topic: Literal["idle_topisv_TradeNotice"],
) -> type[_idle_topisv_trade_notice.TradeNotice]: ...
@overload
def payload_type(
    topic: Literal["idle_trade_AddressModify"],
) -> type[_idle_trade_address_modify.AddressModify]: ...
@overload
def payload_type(
    topic: Literal["idle_trade_TradeReteSuccess"],
) -> type[_idle_trade_trade_rete_success.TradeReteSuccess]: ...
@overload
def payload_type(
    topic: Literal["idle_tranferpay_OrderChange"],
) -> type[_idle_tranferpay_order_change.OrderChange]: ...
@overload
def payload_type(
    topic: Literal["idle_twjd_OrderSyn"],
) -> type[_idle_twjd_order_syn.OrderSyn]: ...
@overload
def payload_type(
    topic: Literal["taobao_fenxiao_FxRefundSuccess"],
) -> type[_taobao_fenxiao_fx_refund_success.FxRefundSuccess]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_AuditResultNotify"],
) -> type[_taobao_item_audit_result_notify.AuditResultNotify]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_DistributeItemEdit"],
) -> type[_taobao_item_distribute_item_edit.DistributeItemEdit]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemAdd"],
) -> type[_taobao_item_item_add.ItemAdd]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemDelete"],
) -> type[_taobao_item_item_delete.ItemDelete]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemDownshelf"],
) -> type[_taobao_item_item_downshelf.ItemDownshelf]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemOfflineNotice"],
) -> type[_taobao_item_item_offline_notice.ItemOfflineNotice]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemPunishCc"],
) -> type[_taobao_item_item_punish_cc.ItemPunishCc]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemPunishDelete"],
) -> type[_taobao_item_item_punish_delete.ItemPunishDelete]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemPunishDownshelf"],
) -> type[_taobao_item_item_punish_downshelf.ItemPunishDownshelf]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemRecommendAdd"],
) -> type[_taobao_item_item_recommend_add.ItemRecommendAdd]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemRecommendDelete"],
) -> type[_taobao_item_item_recommend_delete.ItemRecommendDelete]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemSkuZeroStock"],
) -> type[_taobao_item_item_sku_zero_stock.ItemSkuZeroStock]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemStockChanged"],
) -> type[_taobao_item_item_stock_changed.ItemStockChanged]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemStockChangedOut"],
) -> type[_taobao_item_item_stock_changed_out.ItemStockChangedOut]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemUpdate"],
) -> type[_taobao_item_item_update.ItemUpdate]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemUpshelf"],
) -> type[_taobao_item_item_upshelf.ItemUpshelf]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemZeroStock"],
) -> type[_taobao_item_item_zero_stock.ItemZeroStock]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ReserveCardIdentify"],
) -> type[_taobao_item_reserve_card_identify.ReserveCardIdentify]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_OrderStatusSync"],
) -> type[_taobao_refund_order_status_sync.OrderStatusSync]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_RefundBlockMessage"],
) -> type[_taobao_refund_refund_block_message.RefundBlockMessage]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_RefundBuyerModifyAgreement"],
) -> type[_taobao_refund_refund_buyer_modify_agreement.RefundBuyerModifyAgreement]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_RefundBuyerReturnGoods"],
) -> type[_taobao_refund_refund_buyer_return_goods.RefundBuyerReturnGoods]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_RefundClosed"],
) -> type[_taobao_refund_refund_closed.RefundClosed]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_RefundCreateMessage"],
) -> type[_taobao_refund_refund_create_message.RefundCreateMessage]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_RefundCreated"],
) -> type[_taobao_refund_refund_created.RefundCreated]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_RefundSellerAgreeAgreement"],
) -> type[_taobao_refund_refund_seller_agree_agreement.RefundSellerAgreeAgreement]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_RefundSellerRefuseAgreement"],
) -> type[
    _taobao_refund_refund_seller_refuse_agreement.RefundSellerRefuseAgreement
]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_RefundSuccess"],
) -> type[_taobao_refund_refund_success.RefundSuccess]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_RefundTimeoutRemind"],
) -> type[_taobao_refund_refund_timeout_remind.RefundTimeoutRemind]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_RefundableCanceled"],
) -> type[_taobao_refund_refundable_canceled.RefundableCanceled]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_RefundableMarked"],
) -> type[_taobao_refund_refundable_marked.RefundableMarked]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_TaobaoInterApplied"],
) -> type[_taobao_refund_taobao_inter_applied.TaobaoInterApplied]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_TaobaoIntervened"],
) -> type[_taobao_refund_taobao_intervened.TaobaoIntervened]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_AdvanceDisburse"],
) -> type[_taobao_trade_advance_disburse.AdvanceDisburse]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_DoorInstallsettle"],
) -> type[_taobao_trade_door_installsettle.DoorInstallsettle]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_FiveApi"],
) -> type[_taobao_trade_five_api.FiveApi]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_OpenTradePush"],
) -> type[_taobao_trade_open_trade_push.OpenTradePush]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_OrderSkuChanged"],
) -> type[_taobao_trade_order_sku_changed.OrderSkuChanged]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_SecondApi"],
) -> type[_taobao_trade_second_api.SecondApi]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_Test"],
) -> type[_taobao_trade_test.Test]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TestFour"],
) -> type[_taobao_trade_test_four.TestFour]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_ThirdApi"],
) -> type[_taobao_trade_third_api.ThirdApi]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeAlipayCreate"],
) -> type[_taobao_trade_trade_alipay_create.TradeAlipayCreate]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeBuyerPay"],
) -> type[_taobao_trade_trade_buyer_pay.TradeBuyerPay]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeBuyerPaySubOut"],
) -> type[_taobao_trade_trade_buyer_pay_sub_out.TradeBuyerPaySubOut]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeBuyerStepPay"],
) -> type[_taobao_trade_trade_buyer_step_pay.TradeBuyerStepPay]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeChanged"],
) -> type[_taobao_trade_trade_changed.TradeChanged]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeClose"],
) -> type[_taobao_trade_trade_close.TradeClose]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeCloseAndModifyDetailOrder"],
) -> type[
    _taobao_trade_trade_close_and_modify_detail_order.TradeCloseAndModifyDetailOrder
]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeCreate"],
) -> type[_taobao_trade_trade_create.TradeCreate]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeCreateDelay"],
) -> type[_taobao_trade_trade_create_delay.TradeCreateDelay]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeCreatess"],
) -> type[_taobao_trade_trade_createss.TradeCreatess]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeDelayConfirmPay"],
) -> type[_taobao_trade_trade_delay_confirm_pay.TradeDelayConfirmPay]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeLogisticsAddressChanged"],
) -> type[
    _taobao_trade_trade_logistics_address_changed.TradeLogisticsAddressChanged
]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeMemoModified"],
) -> type[_taobao_trade_trade_memo_modified.TradeMemoModified]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeModifyFee"],
) -> type[_taobao_trade_trade_modify_fee.TradeModifyFee]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradePartlyConfirmPay"],
) -> type[_taobao_trade_trade_partly_confirm_pay.TradePartlyConfirmPay]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradePartlyRefund"],
) -> type[_taobao_trade_trade_partly_refund.TradePartlyRefund]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradePartlySellerShip"],
) -> type[_taobao_trade_trade_partly_seller_ship.TradePartlySellerShip]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradePeriodSuccess"],
) -> type[_taobao_trade_trade_period_success.TradePeriodSuccess]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeRated"],
) -> type[_taobao_trade_trade_rated.TradeRated]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeRatedOut"],
) -> type[_taobao_trade_trade_rated_out.TradeRatedOut]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeSellerShip"],
) -> type[_taobao_trade_trade_seller_ship.TradeSellerShip]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeSuccess"],
) -> type[_taobao_trade_trade_success.TradeSuccess]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeSuccessDelay"],
) -> type[_taobao_trade_trade_success_delay.TradeSuccessDelay]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeTimeoutRemind"],
) -> type[_taobao_trade_trade_timeout_remind.TradeTimeoutRemind]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_Zhihan"],
) -> type[_taobao_trade_zhihan.Zhihan]: ...
@overload
def payload_type(topic: str) -> type[TopicPayload] | None: ...
